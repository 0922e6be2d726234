/**
 * The engine every planner runs on: an ordered walk over a tree of queries.
 *
 * A planner gives root nodes (lazily, so it can size the next one from what came back) and a
 * `run` that sends one node's query and says which child nodes must follow it (a full reply
 * is narrowed by children). Results come out in depth-first order, the order the planner laid
 * the nodes out in, whatever order the requests finish in. Up to `concurrency` nodes run at
 * once: the next nodes in output order are started speculatively while the head is awaited.
 *
 * Memory bound: at most `concurrency` results are started and not yet consumed, each one reply
 * (at most max-items records), plus the list of children not yet started.
 */

export interface Step<N, R> {
  readonly result: R;
  /** Nodes that must come right after this one in the output, in order. */
  readonly children: readonly N[];
}

interface Entry<N, R> {
  readonly node: N;
  promise?: Promise<Step<N, R>>;
}

export async function* walkOrdered<N, R>(
  roots: Iterator<N>,
  run: (node: N) => Promise<Step<N, R>>,
  concurrency: number,
): AsyncGenerator<R> {
  const limit = Math.max(1, Math.floor(concurrency));
  const list: Entry<N, R>[] = [];
  let started = 0;
  let rootsDone = false;

  const start = (entry: Entry<N, R>): void => {
    entry.promise = run(entry.node);
    // The head is awaited in order; a later one that fails before then must not be reported
    // as an unhandled rejection (it is re-thrown when its turn comes).
    entry.promise.catch(() => undefined);
    started++;
  };

  const fill = (): void => {
    let i = 0;
    while (started < limit) {
      while (i < list.length && list[i]!.promise !== undefined) i++;
      if (i < list.length) {
        start(list[i]!);
        continue;
      }
      if (rootsDone) return;
      const next = roots.next();
      if (next.done) {
        rootsDone = true;
        return;
      }
      list.push({ node: next.value });
    }
  };

  for (;;) {
    fill();
    const head = list.shift();
    if (head === undefined) return;
    if (head.promise === undefined) start(head);
    const step = await (head.promise as Promise<Step<N, R>>);
    started--;
    if (step.children.length > 0) list.unshift(...step.children.map((node) => ({ node })));
    yield step.result;
  }
}
