/**
 * The emulator's rejections: the guide's "Error Cases" strings word for word, with the quoted
 * placeholders filled in (README, "Protocol notes"). ERROR_CODE: 1-8 and 81 are 8x8's own numbers; the
 * rest are ours (README, "Emulator error codes").
 */
export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
    /** STATUS of the reply: -1 for a rejected command, 303 login, 310 permission. */
    readonly status = -1,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const q = (v: string | number) => `'${v}'`;

export const E = {
  notXml: () => new ApiError(1, 'Not a valid XML string'),
  notXmlAfter: (tag: string) => new ApiError(1, `Not a valid XML string. Error after ${q(tag)}`),
  xmlIncorrect: (message: string) => new ApiError(1, message),
  criterion: (tag: string, value: string) =>
    new ApiError(2, `The passed value ${q(value)} of the alias ${q(tag)} doesn't meet the specified criterion`),
  length: (tag: string, length: number, min: number, max: number) =>
    new ApiError(
      3,
      `The length of the value for the alias ${q(tag)} doesn't confirm to the criterion. The length of the value passed is ${q(length)}, min length allowed is ${q(min)} and max length allowed is ${q(max)}`,
    ),
  customLength: (tag: string, length: number, max: number) =>
    new ApiError(3, `The length of the value of the tag ${q(tag)} is ${q(length)} which is greater than the allowed value ${q(max)}`),
  regex: (tag: string) => new ApiError(4, `Regular expression not allowed for the alias ${q(tag)}`),
  aliasValue: (tag: string, value: string) => new ApiError(5, `The value ${q(value)} of the alias ${q(tag)} is not valid`),
  tagValue: (tag: string, value: string) => new ApiError(5, `The value ${q(value)} for the tag ${q(tag)} is not valid`),
  tagValueEq: (tag: string, value: string) => new ApiError(5, `The value = ${q(value)} of the tag ${q(tag)} is not valid`),
  caseId: (value: string) => new ApiError(5, `The passed caseid ${q(value)} is not valid`),
  inputTagNotPassed: (tag: string) => new ApiError(6, `Input Error: The tag ${q(tag)} not passed`),
  mandatory: (tag: string) => new ApiError(6, `The mandatory tag ${q(tag)} is not passed or the value for this tag is not passed`),
  autopasswdMissing: () => new ApiError(6, "The ALIAS 'AUTOPASSWD' is not given"),
  passwordMissing: () => new ApiError(6, "The ALIAS 'AUTOPASSWD' is FALSE, but ALIAS 'PASSWORD' is not provided"),
  faqcatidNotPassed: () => new ApiError(6, 'FAQCATID not passed'),
  noTags: () => new ApiError(7, 'No tags are found'),
  noMandatory: () =>
    new ApiError(
      8,
      'None of the possible mandatory tags or its values is found. Please check the documentation and pass at least one mandatory tag',
    ),
  duplicateEmail: (value: string) => new ApiError(81, `Duplicate value ${q(value)} of 'EMAIL'`),
  objectNotPassed: () => new ApiError(9, 'OBJECT value not passed'),
  objectNameInvalid: (name: string) => new ApiError(9, `OBJECT name ${q(name)} not valid`),
  objectInvalid: (name: string) => new ApiError(9, `OBJECT ${q(name)} is not a valid object`),
  actionNotPassed: () => new ApiError(10, 'Action Value not passed'),
  actionInvalid: () => new ApiError(10, 'Action Value Not Valid'),
  actionNotForObject: (action: string, object: string) =>
    new ApiError(10, `Action ${q(action)} Not Valid for the Object ${q(object)}`),
  duplicateTag: (tag: string) => new ApiError(11, `Duplicate Tag ${q(tag)}`),
  duplicateValue: (tag: string, value: string) => new ApiError(12, `Duplicate value ${q(value)} of ${q(tag)}`),
  incompatible: (detail: string) => new ApiError(13, `TAGS Incompatible. ${detail}`),
  dateFormat: (tag: string) => new ApiError(14, `The value of the passed alias ${q(tag)} is not in the correct format (mmddyyyy)`),
  tagDeleted: (tag: string) => new ApiError(15, `The STATUS of the tag ${q(tag)} is 'DEL'. No action allowed on this tag`),
  assigneeDeleted: (value: string) => new ApiError(15, `The STATUS of the value ${q(value)} of the ASSIGNEDTO tag is deleted`),
  invalidTag: (tag: string, action: string, object: string) =>
    new ApiError(16, `The tag ${q(tag)} is not a valid tag for the ${q(action)} on the ${q(object)}`),
  faqCategoryInUse: () => new ApiError(17, 'FAQ Category cannot be deleted when FAQ exists for the given category'),
  inconsistentAutopasswd: () => new ApiError(18, 'Inconsistent tags. AUTOPASSWORD is TRUE and PASSWORD is also provided'),
  emailCase: (casenum: string) =>
    new ApiError(19, `CASENUM ${q(casenum)} is an EMAIL Case. The Description of an Email Case cannot be modified`),
  tooLarge: (max: number) => new ApiError(20, `Request too large: more than ${max} bytes`),
  internal: () => new ApiError(99, 'Internal Error'),
  login: () => new ApiError(303, 'Invalid login parameters.', 303),
  permission: () => new ApiError(310, 'Operation Denied. Not enough permissions', 310),
} as const;

/** The TAGS Incompatible details, from the guide's table. */
export const INCOMPATIBLE = {
  assignedNoStatus: "ASSIGNEDTO passed but no STATUS is passed. By default STATUS value is label with USABILITY ='UNA'",
  assignedStatusUnassigned: 'ASSIGNEDTO passed but STATUS is UNASSIGNED',
  assignedWithUnassigned: 'ASSIGNEDTO passed with STATUS = Unassigned',
  emptyAssignedOpen: 'EMPTY ASSIGNEDTO passed with STATUS = OPEN',
  openNotAssigned: 'The usability of STATUS cannot be OPN, when the Case is not assigned to some agent',
  unaAssigned: 'The usability of STATUS cannot be UNA, when the Case is assigned to some agent',
  openNoAssignee: 'The usability of STATUS is OPN, but no ASSIGNEDTO passed',
  unassignedValueAssigned: 'The value of STATUS cannot be Unassigned, when the Case is assigned to some agent',
} as const;
