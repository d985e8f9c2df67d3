// What an image reference and a container name may be, in the engine's own grammar, so
// that a value given to tend (`--image`, `ansible_host` of a docker/podman host) is a
// name to the engine and never one of its options (`--volume=/:/host`, `--privileged`).
// tend also puts `--` before them; this check makes the mistake an input error with a
// location, before any container is started or contacted.

// Docker's reference grammar (github.com/distribution/reference, regexp.go):
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [domain "/"] path-component ["/" path-component]*
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const name = `(?:${domain}/)?${pathComponent}(?:/${pathComponent})*`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${name})(?::${tag})?(?:@${digest})?$`);
/** Docker refuses longer names (NameTotalLengthMax). */
const NAME_MAX = 255;

/** Is `text` an image reference as docker (and podman) parse one: `debian:12`, `registry:5000/team/app@sha256:…`? */
export function isImageReference(text: string): boolean {
  const m = REFERENCE.exec(text);
  return m !== null && m[1]!.length <= NAME_MAX;
}

/** Docker's container names (and ids, which are hex): `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. */
const CONTAINER = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function isContainerName(text: string): boolean {
  return CONTAINER.test(text);
}

export const IMAGE_GRAMMAR = "[registry[:port]/]name[:tag][@digest], the name in lower case (docker's reference grammar)";
export const CONTAINER_GRAMMAR = 'a letter or digit, then letters, digits, _ . or - (a container name or id)';
