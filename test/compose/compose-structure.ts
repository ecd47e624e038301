/**
 * A hand-written structural check of the Compose specification parts this
 * repository uses. It is deliberately strict: a key it does not know is
 * reported, so using a new Compose feature means teaching this check about it
 * rather than having the feature silently unvalidated. (No `docker compose`
 * binary is assumed on CI, so `docker compose config` is not an option.)
 */

type Json = unknown;

const NAME = /^[a-zA-Z0-9._-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Go-style durations as Compose accepts them: 1m30s, 500ms, 10s.
const DURATION = /^(\d+(\.\d+)?(us|ms|s|m|h))+$/;
const PORT = /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp))?$/;
const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];
const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;

const TOP_KEYS = ['name', 'services', 'volumes', 'networks', 'secrets', 'configs'];
const SERVICE_KEYS = [
  'image',
  'build',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'depends_on',
  'healthcheck',
  'volumes',
  'restart',
  'init',
  'stop_grace_period',
  'networks',
  'user',
  'working_dir',
  'container_name',
  'pull_policy',
  'deploy',
];
const BUILD_KEYS = ['context', 'dockerfile', 'target', 'args'];
const HEALTHCHECK_KEYS = ['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable'];
const DEPENDENCY_KEYS = ['condition', 'required', 'restart'];

export function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: Json): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Values after `${VAR}` substitution are unknown; checks that parse values use this stand-in. */
function withoutInterpolation(value: string): string {
  return value.replace(/\$\{[^}]*\}/g, '1');
}

function unknownKeys(where: string, value: Record<string, Json>, known: string[]): string[] {
  return Object.keys(value)
    .filter((key) => !known.includes(key) && !key.startsWith('x-'))
    .map((key) => `${where}: unknown key "${key}"`);
}

/** True for a volume source that names a top-level volume rather than a host path. */
export function isNamedVolume(source: string): boolean {
  return !/^[./~]/.test(source) && !source.includes('/') && !source.startsWith('$');
}

function checkCommand(where: string, value: Json): string[] {
  if (typeof value === 'string' && value.trim() !== '') return [];
  if (isStringList(value) && value.length > 0) return [];
  return [`${where}: must be a non-empty string or list of strings`];
}

function checkEnvironment(where: string, value: Json): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) =>
      typeof item === 'string' && ENV_NAME.test(item.split('=')[0] ?? '') ? [] : [`${where}[${i}]: expected "NAME=value"`],
    );
  }
  if (!isRecord(value)) return [`${where}: must be a mapping or a list`];
  return Object.entries(value).flatMap(([name, v]) => [
    ...(ENV_NAME.test(name) ? [] : [`${where}.${name}: invalid variable name`]),
    ...(v === null || ['string', 'number', 'boolean'].includes(typeof v) ? [] : [`${where}.${name}: must be a scalar`]),
  ]);
}

function checkPorts(where: string, value: Json): string[] {
  if (!Array.isArray(value)) return [`${where}: must be a list`];
  return value.flatMap((item, i) => {
    const text = typeof item === 'number' ? String(item) : typeof item === 'string' ? withoutInterpolation(item) : undefined;
    return text !== undefined && PORT.test(text) ? [] : [`${where}[${i}]: not a port mapping`];
  });
}

function checkDependsOn(where: string, value: Json, self: string, services: Record<string, Json>): string[] {
  const target = (name: string): string[] => {
    if (name === self) return [`${where}: service depends on itself`];
    return name in services ? [] : [`${where}: unknown service "${name}"`];
  };
  if (isStringList(value)) return value.flatMap(target);
  if (!isRecord(value)) return [`${where}: must be a list or a mapping`];
  return Object.entries(value).flatMap(([name, dependency]) => {
    if (!isRecord(dependency)) return [`${where}.${name}: must be a mapping with a condition`];
    const problems = [...target(name), ...unknownKeys(`${where}.${name}`, dependency, DEPENDENCY_KEYS)];
    const condition = dependency.condition;
    if (typeof condition !== 'string' || !CONDITIONS.includes(condition)) {
      problems.push(`${where}.${name}.condition: must be one of ${CONDITIONS.join(', ')}`);
    } else if (condition === 'service_healthy') {
      const dependencyService = services[name];
      const healthcheck = isRecord(dependencyService) ? dependencyService.healthcheck : undefined;
      if (!isRecord(healthcheck) || healthcheck.disable === true) {
        problems.push(`${where}.${name}: service_healthy needs a healthcheck on "${name}"`);
      }
    }
    return problems;
  });
}

function checkHealthcheck(where: string, value: Json): string[] {
  if (!isRecord(value)) return [`${where}: must be a mapping`];
  const problems = unknownKeys(where, value, HEALTHCHECK_KEYS);
  const test = value.test;
  if (typeof test === 'string') {
    if (test.trim() === '') problems.push(`${where}.test: empty`);
  } else if (isStringList(test)) {
    const [kind, ...rest] = test;
    if (kind === 'CMD' || kind === 'CMD-SHELL') {
      if (rest.length === 0) problems.push(`${where}.test: ${kind} without a command`);
    } else if (kind !== 'NONE') {
      problems.push(`${where}.test: first element must be CMD, CMD-SHELL or NONE`);
    }
  } else if (value.disable !== true) {
    problems.push(`${where}.test: missing`);
  }
  for (const key of ['interval', 'timeout', 'start_period', 'start_interval']) {
    const duration = value[key];
    if (duration !== undefined && !(typeof duration === 'string' && DURATION.test(duration))) {
      problems.push(`${where}.${key}: not a duration`);
    }
  }
  const retries = value.retries;
  if (retries !== undefined && !(Number.isInteger(retries) && (retries as number) > 0)) {
    problems.push(`${where}.retries: must be a positive integer`);
  }
  return problems;
}

function checkServiceVolumes(where: string, value: Json, declared: Record<string, Json>): string[] {
  if (!Array.isArray(value)) return [`${where}: must be a list`];
  return value.flatMap((item, i) => {
    let source: string | undefined;
    let target: Json;
    if (typeof item === 'string') {
      const parts = item.split(':');
      if (parts.length < 2 || parts.length > 3) return [`${where}[${i}]: expected "source:target[:mode]"`];
      [source, target] = parts;
      if (parts[2] !== undefined && !/^(ro|rw|z|Z)(,(ro|rw|z|Z))*$/.test(parts[2])) return [`${where}[${i}]: bad mode`];
    } else if (isRecord(item)) {
      source = typeof item.source === 'string' ? item.source : undefined;
      target = item.target;
      if (!['volume', 'bind', 'tmpfs'].includes(String(item.type))) return [`${where}[${i}].type: volume, bind or tmpfs`];
    } else {
      return [`${where}[${i}]: must be a string or a mapping`];
    }
    const problems: string[] = [];
    if (typeof target !== 'string' || !target.startsWith('/')) problems.push(`${where}[${i}]: target must be absolute`);
    if (source !== undefined && isNamedVolume(source) && !(source in declared)) {
      problems.push(`${where}[${i}]: named volume "${source}" is not declared under top-level volumes`);
    }
    return problems;
  });
}

function checkService(name: string, service: Json, services: Record<string, Json>, volumes: Record<string, Json>): string[] {
  const where = `services.${name}`;
  if (!NAME.test(name)) return [`${where}: invalid service name`];
  if (!isRecord(service)) return [`${where}: must be a mapping`];
  const problems = unknownKeys(where, service, SERVICE_KEYS);
  const { image, build } = service;
  if (image === undefined && build === undefined) problems.push(`${where}: needs image or build`);
  if (image !== undefined && typeof image !== 'string') problems.push(`${where}.image: must be a string`);
  if (build !== undefined && typeof build !== 'string') {
    if (!isRecord(build)) problems.push(`${where}.build: must be a path or a mapping`);
    else problems.push(...unknownKeys(`${where}.build`, build, BUILD_KEYS));
  }
  const checks: Array<[string, (w: string, v: Json) => string[]]> = [
    ['command', checkCommand],
    ['entrypoint', checkCommand],
    ['environment', checkEnvironment],
    ['ports', checkPorts],
    ['depends_on', (w, v) => checkDependsOn(w, v, name, services)],
    ['healthcheck', checkHealthcheck],
    ['volumes', (w, v) => checkServiceVolumes(w, v, volumes)],
  ];
  for (const [key, check] of checks) {
    if (service[key] !== undefined) problems.push(...check(`${where}.${key}`, service[key]));
  }
  if (service.restart !== undefined && (typeof service.restart !== 'string' || !RESTART.test(service.restart)))
    problems.push(`${where}.restart: invalid policy`);
  if (service.init !== undefined && typeof service.init !== 'boolean') problems.push(`${where}.init: must be a boolean`);
  const grace = service.stop_grace_period;
  if (grace !== undefined && !(typeof grace === 'string' && DURATION.test(grace))) {
    problems.push(`${where}.stop_grace_period: not a duration`);
  }
  return problems;
}

/** Returns human-readable problems; an empty list means the document passed. */
export function composeStructureProblems(doc: Json): string[] {
  if (!isRecord(doc)) return ['document: must be a mapping'];
  const problems = unknownKeys('document', doc, TOP_KEYS);
  const volumes = doc.volumes ?? {};
  if (!isRecord(volumes)) problems.push('volumes: must be a mapping');
  else {
    for (const [name, volume] of Object.entries(volumes)) {
      if (!NAME.test(name)) problems.push(`volumes.${name}: invalid name`);
      if (volume !== null && !isRecord(volume)) problems.push(`volumes.${name}: must be empty or a mapping`);
    }
  }
  const services = doc.services;
  if (!isRecord(services) || Object.keys(services).length === 0) return [...problems, 'services: must be a non-empty mapping'];
  for (const [name, service] of Object.entries(services)) {
    problems.push(...checkService(name, service, services, isRecord(volumes) ? volumes : {}));
  }
  return problems;
}
