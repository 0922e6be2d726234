/**
 * The table of wire-rules.test.ts: for every field of the catalogue an ADD or MODIFY takes, the
 * values that probe its rules (its format's edges, its lengths, blanks, XML characters,
 * enumerations, agents), each with the verdict the guide gives; the custom field types of the
 * test tenant; and the date filters of GET. Generated from the catalogue, so a field or a
 * format added there is probed without anyone remembering to.
 */
import { CATALOGUE, OBJECTS, type Action, type FieldDef, type FieldFormat, type ObjectDef, type ObjectName } from '../../../src/protocol/catalogue.js';

export type WriteAction = 'ADD' | 'MODIFY';

export interface Probe {
  readonly label: string;
  readonly value: string;
  /** Whether the CRM takes it (the guide's verdict, as the project reads it). */
  readonly accept: boolean;
}

export interface WriteCase {
  readonly object: ObjectName;
  readonly action: WriteAction;
  /** The tag under test (as sent: MEDIATYPE for the alias). */
  readonly tag: string;
  readonly probe: Probe;
  /** Other tags the case needs (AUTOPASSWD=FALSE beside a PASSWORD...), over the base record. */
  readonly context: ReadonlyArray<readonly [string, string]>;
  /** The field's format, or `custom:<type>`: what the coverage check counts. */
  readonly rule: string;
  /** Whether the value must not stay in the CRM after the case (unique fields). */
  readonly unique: boolean;
}

export interface GetCase {
  readonly object: ObjectName;
  readonly def: FieldDef;
  readonly probe: Probe;
}

/** The test tenant's custom fields (written into its tenant file), one per type and a few edges. */
export const CUSTOM_FIELDS = {
  CUSTOMER: [
    { tag: 'CF01_PICKLIST.NAME', type: 'picklist', values: ['value1', 'value2', 'Value3'], inactive: ['value0'] },
    { tag: 'CF02.NAME', type: 'text', maxLength: 100 },
    { tag: 'SHORT_TEXT', type: 'text', maxLength: 5 },
    { tag: 'NUM_FIELD', type: 'number', maxLength: 10 },
    { tag: 'URL_FIELD', type: 'url', maxLength: 30 },
    { tag: 'DATE_FIELD', type: 'date' },
    { tag: 'LEGACY_ID', type: 'text', maxLength: 50, unique: true },
    { tag: 'OLD_NOTES', type: 'text', maxLength: 100, deleted: true },
  ],
  TASK: [{ tag: 'TASK_DATE', type: 'date' }],
} as const;

/** One deactivated value per list of the test tenant, to probe with. */
export const INACTIVE: Readonly<Record<string, string>> = {
  CASE_STATUS: 'Escalated',
  PRIORITY: 'Urgent',
  CUSTOMERTYPE: 'Legacy',
  TASK_STATUS: 'Archived',
};

const accept = (label: string, value: string): Probe => ({ label, value, accept: true });
const refuse = (label: string, value: string): Probe => ({ label, value, accept: false });

/** Characters XML cannot carry, escaped or not: refused whatever the field. */
const NOT_XML: Probe[] = [refuse('control character U+0001', 'a\u0001b'), refuse('U+FFFE', 'a\uFFFEb'), refuse('lone surrogate', 'a\uD800b')];

/** Calendar edges, as MMDDYYYY, with the guide's verdict. */
export const DATE_EDGES: Probe[] = [
  accept('first wire year', '01011000'),
  accept('last day of the last year', '12319999'),
  // Regression: offline validate passed 01010999 (lowest year 1), which the emulator refused.
  refuse('year 0999 (before 1000)', '01010999'),
  refuse('year 0000', '01010000'),
  accept('29 Feb of a leap year', '02292024'),
  accept('29 Feb 2000 (leap: divisible by 400)', '02292000'),
  refuse('29 Feb of a common year', '02292023'),
  refuse('29 Feb 1900 (not leap: divisible by 100)', '02291900'),
  refuse('31 April', '04312024'),
  refuse('month 00', '00012024'),
  refuse('month 13', '13012024'),
  refuse('day 00', '01002024'),
  refuse('day 32', '01322024'),
  refuse('seven digits', '1012024'),
  refuse('ISO date', '2024-01-01'),
  refuse('with slashes', '01/01/2024'),
  refuse('leading space', ' 01012024'),
  refuse('full-width digits', '０１０１２０２４'),
];

/** MMDDYYYYHH24MI edges: the date edges at 00:00, and the time's. */
export const DATETIME_EDGES: Probe[] = [
  ...DATE_EDGES.filter((p) => /^\d{8}$/.test(p.value)).map((p) => ({ ...p, label: `${p.label}, 00:00`, value: `${p.value}0000` })),
  accept('23:59', '010120242359'),
  refuse('hour 24', '010120242400'),
  refuse('minute 60', '010120241260'),
  refuse('hours without minutes', '0101202412'),
  refuse('with a colon', '01012024 12:00'),
];

function filler(format: FieldFormat, n: number): string | undefined {
  switch (format) {
    case 'text':
    case 'company':
    case 'faqcategory':
    case 'password':
      return 'x'.repeat(n);
    case 'email':
      return n >= 3 ? `${'x'.repeat(n - 2)}@y` : undefined;
    case 'task-email':
      return n >= 5 ? `${'x'.repeat(n - 4)}@y.z` : undefined;
    case 'phone':
    case 'digits':
      return '1'.repeat(n);
    default:
      return undefined;
  }
}

/** Length edges: the longest value, one more, the shortest, one less. */
function lengthProbes(def: FieldDef): Probe[] {
  const probes: Probe[] = [];
  const max = def.maxLength;
  if (max !== undefined) {
    const atMax = filler(def.format, max);
    const over = filler(def.format, max + 1);
    if (atMax !== undefined) probes.push(accept(`${max} characters (the most)`, atMax));
    if (over !== undefined) probes.push(refuse(`${max + 1} characters`, over));
    // Characters, not UTF-16 units: a surrogate pair is one (kept under a few MB of request).
    if (def.format === 'text' && max <= 10_000) {
      probes.push(accept(`${max} emoji (code points, not UTF-16 units)`, '😀'.repeat(max)));
      probes.push(refuse(`${max + 1} emoji`, '😀'.repeat(max + 1)));
      // Line ends travel as LF: CR LF counts as one character, as the server receives it.
      if (max >= 2) probes.push(accept(`${max} characters once CR LF travels as LF`, `${'x'.repeat(max - 2)}\r\nx`));
    }
  }
  const min = def.minLength;
  if (min !== undefined) {
    const atMin = filler(def.format, min);
    const under = filler(def.format, min - 1);
    if (atMin !== undefined) probes.push(accept(`${min} characters (the fewest)`, atMin));
    if (under !== undefined && min > 1) probes.push(refuse(`${min - 1} characters`, under));
  }
  return probes;
}

export interface ProbeContext {
  /** The tenant's active values of each list, as the validator reads them. */
  readonly lists: Readonly<Record<string, readonly string[]>>;
  /** The id a reference field must name (ACCOUNTNUM of a case ADD...). */
  readonly reference?: string;
}

function formatProbes(def: FieldDef, action: Action, ctx: ProbeContext): Probe[] {
  switch (def.format) {
    case 'text':
      return [accept('plain', 'plain text'), accept('markup characters', `O'B&<S>"q`), accept('beyond Latin-1', 'é 王 😀'), accept('tab and line end', 'a\tb\nc')];
    case 'company':
      return [accept('plain', 'Acme, Inc. (EU) & Sons'), refuse('~', 'A~B'), refuse('<', 'A<B'), refuse('>', 'A>B')];
    case 'email':
      return [
        accept('an address', 'ada@example.com'),
        accept('no dot in the domain', 'a@b'),
        accept('every allowed character', 'A.B_C-9@X-Y.Z'),
        refuse('no @', 'ada'),
        refuse('nothing after @', 'ada@'),
        refuse('nothing before @', '@example.com'),
        refuse('+ is not in the set', 'a+b@example.com'),
        refuse('two @', 'a@b@c'),
        refuse('a space', 'a b@c.d'),
        refuse('a letter beyond A-Z', 'ädä@example.com'),
      ];
    case 'task-email':
      return [accept('an address', 'ada@example.com'), accept('+ in the local part', 'a+b@ex.co'), refuse('no dot in the domain', 'a@b'), refuse('no @', 'ada'), refuse('a space', 'a b@c.d')];
    case 'phone':
      return [
        accept('every allowed character', '+1 (555) 010-0000'),
        accept('dots, underscores and slashes', '555.010_0000/12'),
        accept('one digit', '7'),
        refuse('letters', 'abc'),
        refuse('no digit', '+()-'),
        refuse('an extension word', '555-0100 x12'),
        refuse('full-width digits', '５５５'),
      ];
    case 'password':
      return [accept('letters, digits, _', 'abc_123'), refuse('a space', 'ab c'), refuse('punctuation', 'abc!'), refuse('a letter beyond A-Z', 'pässwörd')];
    case 'digits': {
      const valid = ctx.reference ?? '42';
      return [accept('digits', valid), refuse('letters', 'abc'), refuse('a sign', '-1'), refuse('a decimal point', '12.0'), refuse('full-width digits', '１２')];
    }
    case 'date':
      return DATE_EDGES;
    case 'datetime':
      return DATETIME_EDGES;
    case 'date-or-datetime':
      return [...DATE_EDGES, ...DATETIME_EDGES];
    case 'boolean':
      return [accept('TRUE', 'TRUE'), accept('lower case', 'true'), accept('mixed case', 'True'), refuse('yes', 'yes'), refuse('1', '1'), refuse('trailing space', 'TRUE ')];
    case 'yn': {
      const anyCase = def.caseInsensitive === true || (def.caseInsensitiveOn?.includes(action) ?? false);
      return [accept('Y', 'Y'), accept('N', 'N'), { label: `lower-case y (${anyCase ? 'any case' : 'case-sensitive'} here)`, value: 'y', accept: anyCase }, refuse('yes', 'yes'), refuse('leading space', ' Y')];
    }
    case 'faqcategory':
      return [
        accept('plain', 'Billing'),
        accept('every allowed punctuation', `Billing, FAQ: how? ~!@#$%^;'"./`),
        accept('letters beyond ASCII', 'Café Ünïcode 123'),
        refuse('_', 'a_b'),
        refuse('&', 'a&b'),
        refuse('<', 'a<b'),
      ];
    case 'enum': {
      const values = def.values ?? (def.list ? ctx.lists[def.list] : undefined) ?? [];
      const first = values[0] as string;
      const probes = [accept('a value of the list', first), accept('in another case', first.toUpperCase() === first ? first.toLowerCase() : first.toUpperCase()), refuse('not in the list', 'No Such Value')];
      const inactive = def.list ? INACTIVE[def.list] : undefined;
      if (inactive !== undefined) probes.push(refuse('a deactivated value', inactive));
      return probes;
    }
    case 'agent':
      return [
        accept('an agent', 'jsmith'),
        accept('a group', '101'),
        refuse('an agent in another case (ids are exact)', 'JSMITH'),
        refuse('a deleted agent', 'oldagent'),
        refuse('a deleted group', '103'),
        refuse('unknown', 'nobody'),
      ];
  }
}

/** Extra tags a field's probes need so that only the probed rule decides. */
function contextOf(object: ObjectName, tag: string): Array<readonly [string, string]> {
  if (object === 'CUSTOMER' && tag === 'PASSWORD') return [['AUTOPASSWD', 'FALSE']];
  // An assignee needs a status whose usability is OPN (the guide's TAGS Incompatible rules).
  if (object === 'CASE' && tag === 'ASSIGNEDTO') return [['STATUS', 'Open']];
  // "REMINDER needs to be used with DUEDATE".
  if (object === 'TASK' && tag === 'REMINDER') return [['DUEDATE', '010120301200']];
  return [];
}

/** Probes whose verdict another rule decides, with that verdict. */
function adjust(object: ObjectName, def: FieldDef, probe: Probe): Probe {
  // AUTOPASSWD=FALSE without a PASSWORD: "The ALIAS 'AUTOPASSWD' is FALSE, but ALIAS 'PASSWORD' is not provided".
  if (object === 'CUSTOMER' && def.tag === 'AUTOPASSWD' && probe.accept && probe.value.toUpperCase() === 'FALSE') return { ...probe, accept: false };
  if (object === 'CUSTOMER' && def.tag === 'PASSWORD' && probe.value === '') return { ...probe, label: `${probe.label}, with AUTOPASSWD=FALSE`, accept: false };
  // An empty ASSIGNEDTO with an OPN status: "EMPTY ASSIGNEDTO passed with STATUS = OPEN" (and,
  // on ADD, an open case needs an assignee).
  if (object === 'CASE' && def.tag === 'ASSIGNEDTO' && probe.value === '') return { ...probe, label: `${probe.label}, with STATUS=Open`, accept: false };
  return probe;
}

function isReference(object: ObjectDef, def: FieldDef, action: WriteAction): boolean {
  return (action === 'MODIFY' && def.tag === object.idTag) || (action === 'ADD' && def.tag === object.parentTag);
}

/** The write cases of one object and action: every field it takes, every probe of its rules. */
export function writeCases(name: ObjectName, action: WriteAction, ctx: (def: FieldDef) => ProbeContext): WriteCase[] {
  const object = CATALOGUE[name];
  const cases: WriteCase[] = [];
  for (const def of object.fields) {
    const presence = def.actions[action];
    if (presence === undefined || def.readOnly === true) continue;
    const mandatory = presence === 'M';
    const probes = [
      ...formatProbes(def, action, ctx(def)),
      ...lengthProbes(def),
      ...NOT_XML,
      { label: 'empty (no value)', value: '', accept: !mandatory },
      { label: 'whitespace only', value: '   ', accept: def.format === 'text' && def.notBlank !== true && !mandatory },
    ];
    const tags = def.alias === undefined ? [def.tag] : [def.tag, def.alias];
    for (const tag of tags) {
      for (const raw of probes) {
        // Ids: only their form is a value rule; that the record exists is the CRM's to know.
        if (isReference(object, def, action) && def.format === 'digits' && raw.accept && raw.value !== (ctx(def).reference ?? '')) continue;
        const probe = adjust(name, def, raw);
        cases.push({ object: name, action, tag, probe, context: contextOf(name, def.tag), rule: def.format, unique: def.unique === true });
      }
    }
  }
  return cases;
}

/** Probes of a custom field type, with the test tenant's limits. */
export function customProbes(def: (typeof CUSTOM_FIELDS)['CUSTOMER'][number] | (typeof CUSTOM_FIELDS)['TASK'][number]): Probe[] {
  const deleted = 'deleted' in def && def.deleted;
  if (deleted) return [refuse('a deleted custom field', 'x')];
  const common = [...NOT_XML, accept('empty (no value)', '')];
  switch (def.type) {
    case 'picklist':
      return [...common, accept('a value', 'value1'), accept('in another case', 'VALUE3'), refuse('a deactivated value', 'value0'), refuse('not in the picklist', 'value9')];
    case 'text': {
      const max = def.maxLength;
      return [...common, accept('plain', 'abc'), accept(`${max} characters`, 'x'.repeat(max)), refuse(`${max + 1} characters`, 'x'.repeat(max + 1)), accept(`${max} emoji`, '😀'.repeat(max)), refuse(`${max + 1} emoji`, '😀'.repeat(max + 1))];
    }
    case 'number':
      return [
        ...common,
        accept('an integer', '42'),
        accept('negative, with decimals', '-1.5'),
        accept(`${def.maxLength} digits`, '1'.repeat(def.maxLength)),
        refuse(`${def.maxLength + 1} digits`, '1'.repeat(def.maxLength + 1)),
        refuse('a trailing point', '1.'),
        refuse('no leading digit', '.5'),
        refuse('an exponent', '1e3'),
        refuse('a plus sign', '+1'),
        refuse('a decimal comma', '1,5'),
        refuse('letters', 'abc'),
      ];
    case 'url':
      return [
        ...common,
        accept('https', 'https://example.com/a?b=c'),
        accept('ftp', 'ftp://x'),
        accept('scheme in upper case', 'HTTP://X.COM'),
        accept(`${def.maxLength} characters`, `http://${'x'.repeat(def.maxLength - 7)}`),
        refuse(`${def.maxLength + 1} characters`, `http://${'x'.repeat(def.maxLength - 6)}`),
        refuse('no scheme', 'example.com'),
        refuse('another scheme', 'mailto:a@b.c'),
        refuse('a space', 'https://a b'),
      ];
    case 'date':
      return [...common, ...DATE_EDGES];
  }
}

/** The GET date filters: the only place the formats `date` and `date-or-datetime` travel. */
export function getCases(): GetCase[] {
  const cases: GetCase[] = [];
  for (const name of OBJECTS) {
    const object = CATALOGUE[name];
    for (const [from] of object.ranges) {
      const def = object.fields.find((f) => f.tag === from) as FieldDef;
      const probes = def.format === 'date-or-datetime' ? [...DATE_EDGES, ...DATETIME_EDGES] : DATE_EDGES;
      for (const probe of probes) cases.push({ object: name, def, probe });
    }
  }
  return cases;
}
