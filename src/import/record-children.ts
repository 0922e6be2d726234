/**
 * What the API deletes with a record: a customer's cases (and their follow-ups) and tasks, a
 * case's follow-ups. Hidden slices included: a plain GET leaves out what deleted agents created
 * or were assigned, and the cascade takes those too. Used by `action: delete` and by undo, which
 * both refuse to take a parent away with children nobody asked to delete.
 */

/** A GET of `object` by `tags`: the reply's items. */
export type GetItems = (object: string, tags: Array<[string, string]>) => Promise<ReadonlyArray<Readonly<Record<string, string>>>>;

const DELETED_AGENTS = 'Deleted Agents';

/** The children of `objectName` `id`, each kind as a phrase (`2 cases`, `1 task`); empty when none. */
export async function childrenOf(get: GetItems, objectName: string, id: string): Promise<string[]> {
  const count = async (object: string, slices: Array<Array<[string, string]>>): Promise<number> => {
    const ids = new Set<string>();
    for (const tags of slices) {
      for (const item of await get(object, tags)) ids.add(item['CASENUM'] ?? item['TASKNUM'] ?? item['FOLLOWUPID'] ?? JSON.stringify(item));
    }
    return ids.size;
  };
  const phrase = (what: string, n: number) => (n > 0 ? [`${n} ${what}${n === 1 ? '' : 's'}`] : []);
  if (objectName === 'CUSTOMER') {
    const cases = await count('CASE', [[['ACCOUNTNUM', id]], [['ACCOUNTNUM', id], ['CREATEDBY', DELETED_AGENTS]]]);
    const tasks = await count('TASK', [
      [['ACCOUNTNUM', id]],
      [['ACCOUNTNUM', id], ['CREATEDBY', DELETED_AGENTS]],
      [['ACCOUNTNUM', id], ['ASSIGNEDTO', DELETED_AGENTS]],
      [['ACCOUNTNUM', id], ['CREATEDBY', DELETED_AGENTS], ['ASSIGNEDTO', DELETED_AGENTS]],
    ]);
    return [...phrase('case', cases), ...phrase('task', tasks)];
  }
  if (objectName === 'CASE') return phrase('follow-up', await count('FOLLOWUP', [[['CASENUM', id]]]));
  return [];
}
