// Offline schema validation of the deployment files (deploy/k8s/*.yaml, docker-compose.yml), with no
// cluster and no Docker daemon.
//
// Kubernetes: the kubernetes-models validators, generated from the Kubernetes OpenAPI schema, check
// types, enums and required fields, but pass fields the schema does not know, which the API server
// refuses (kubectl's default strict field validation). So every document is validated through a Proxy
// that records which fields the validator read: a field it never read is not in the schema, and is
// reported as unknown, the way a misspelt `completionMod` would be by kubectl.
//
// Compose: the Compose Specification's own JSON schema (vendored in deploy/schema/, see its README)
// with ajv, after resolving YAML anchors and merge keys as Compose does.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Service } from 'kubernetes-models/v1/Service';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { parse, parseAllDocuments } from 'yaml';

/** The kinds deploy/k8s uses; a manifest of any other kind is an error until it is added here. */
const MODELS = [ConfigMap, PersistentVolumeClaim, Pod, Service, StatefulSet, Job, PodDisruptionBudget];

export const COMPOSE_SCHEMA_FILE = new URL('../../deploy/schema/compose-spec.json', import.meta.url);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every YAML document of a file, as plain data (anchors and `<<` merge keys resolved). */
export function readYamlDocuments(file: string | URL): unknown[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'), { merge: true }).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${String(file)}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS();
  });
}

export function readYaml(file: string | URL): unknown {
  return parse(fs.readFileSync(file, 'utf8'), { merge: true });
}

/** A view of `value` that adds to `read` the path of every property the caller gets or enumerates. */
function recordingReads(value: unknown, path: string, read: Set<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key !== 'string') return Reflect.get(target, key, receiver);
      read.add(`${path}/${key}`);
      return recordingReads(Reflect.get(target, key, receiver), `${path}/${key}`, read);
    },
    ownKeys(target) {
      // A map the schema allows any key in (labels, ConfigMap data) is enumerated: all its keys are known.
      const keys = Reflect.ownKeys(target);
      for (const key of keys) if (typeof key === 'string') read.add(`${path}/${key}`);
      return keys;
    },
  });
}

function fieldPaths(value: unknown, path: string, out: string[] = []): string[] {
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      out.push(`${path}/${key}`);
      fieldPaths(child, `${path}/${key}`, out);
    }
  }
  return out;
}

/** What is wrong with one Kubernetes manifest against the API schema; empty when it is valid. */
export function kubernetesSchemaErrors(doc: unknown): string[] {
  const meta = (doc ?? {}) as { apiVersion?: unknown; kind?: unknown };
  const model = MODELS.find((m) => m.apiVersion === meta.apiVersion && m.kind === meta.kind);
  if (model === undefined) {
    const known = MODELS.map((m) => `${m.apiVersion} ${m.kind}`).join(', ');
    return [`apiVersion ${String(meta.apiVersion)} kind ${String(meta.kind)} is not one this test validates (${known})`];
  }
  const read = new Set<string>();
  try {
    model.prototype.validate.call(recordingReads(doc, '', read));
  } catch (e) {
    return [(e as Error).message];
  }
  return fieldPaths(doc, '')
    .filter((p) => !read.has(p))
    .map((p) => `${p}: field not in the ${meta.kind as string} schema`);
}

let composeValidator: ReturnType<Ajv['compile']> | undefined;

/** What is wrong with a compose file's content against the Compose Specification; empty when valid. */
export function composeSchemaErrors(doc: unknown): string[] {
  if (composeValidator === undefined) {
    const schema = JSON.parse(fs.readFileSync(COMPOSE_SCHEMA_FILE, 'utf8')) as Record<string, Json>;
    const ajv = new Ajv({ allErrors: true, strict: false });
    // The schema names draft-07 as https://json-schema.org/draft-07/schema; ajv knows it by its http
    // URL: register it under the name used, so that the schema itself is still checked against it.
    const draft07 = createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-07.json') as Record<string, Json>;
    ajv.addMetaSchema({ ...draft07, $id: schema['$schema'] as string });
    composeValidator = ajv.compile(schema);
  }
  if (composeValidator(doc)) return [];
  return (composeValidator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
