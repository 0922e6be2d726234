import { WapiBulkError } from './errors.js';
import { escapeValue, isValidTagName, normaliseLineEnds } from './escape.js';
import { findNonXmlChar } from './xml-chars.js';

/**
 * Who the client is. /WAPI/wapi.php takes tenant, username and password inside the request;
 * 8x8's API gateway takes the tenant and an API key as headers (README "Connecting").
 */
export interface Credentials {
  readonly tenant: string;
  /** The CRM API user (the form transport). */
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** An Admin Console API key (the gateway transport). */
  readonly apiKey?: string | undefined;
}

/** One CRM API command: OBJECT, ACTION and its tags in order (a tag may repeat: an OR in GET). */
export interface WapiCommand {
  readonly object: string;
  readonly action: string;
  readonly tags: ReadonlyArray<readonly [tag: string, value: string]>;
}

function element(tag: string, value: string): string {
  if (!isValidTagName(tag)) {
    throw new WapiBulkError('ROW_INVALID', `"${tag}" is not a valid tag name`, {
      hint: 'tag names are letters, digits, "_", "." and "-", starting with a letter',
    });
  }
  const bad = findNonXmlChar(value);
  if (bad !== undefined) {
    throw new WapiBulkError('ROW_INVALID', `the value of ${tag} holds ${bad}, a control character XML cannot carry`, {
      hint: 'remove the character from the input, or add a transform that strips it',
      details: { field: tag },
    });
  }
  return `<${tag}>${escapeValue(normaliseLineEnds(value))}</${tag}>`;
}

/**
 * The bare `<COMMAND OBJECT=".." ACTION="..">...</COMMAND>`, as the API gateway takes it. Values
 * are escaped so that none can change the document's structure; line ends become LF.
 */
export function buildCommand(command: WapiCommand): string {
  const object = command.object.toUpperCase();
  const action = command.action.toUpperCase();
  if (!isValidTagName(object) || !isValidTagName(action)) {
    throw new WapiBulkError('ROW_INVALID', `invalid OBJECT/ACTION "${object}"/"${action}"`);
  }
  const parts: string[] = [`<COMMAND OBJECT="${object}" ACTION="${action}">`];
  for (const [tag, value] of command.tags) parts.push(element(tag, value));
  parts.push('</COMMAND>');
  return parts.join('');
}

/** The XML of a /WAPI/wapi.php request: the command inside a `<WAPI>` envelope with the login. */
export function buildRequest(credentials: Credentials, command: WapiCommand): string {
  return [
    '<WAPI>',
    element('TENANT', credentials.tenant),
    element('USERNAME', credentials.username ?? ''),
    element('PASSWORD', credentials.password ?? ''),
    buildCommand(command),
    '</WAPI>',
  ].join('');
}

/** The form body that carries a request: `xml_query=<url-encoded XML>`. */
export function encodeForm(xml: string): string {
  return `xml_query=${encodeURIComponent(xml)}`;
}
