// Temporal histories to and from ProtoJSON, the format `temporal workflow show --output json`
// writes and the SDK's historyToJSON/historyFromJSON (@temporalio/common/lib/proto-utils) read.
//
// Why not those two helpers: in this install @temporalio/common and @temporalio/proto each carry
// their own copy of protobufjs 8, and protojson's `type instanceof Type` check fails across the
// copies, so both throw "type must be a Type" (and so does Worker.runReplayHistory for a history
// given as JSON, which calls historyFromJSON). This module does the same conversion with the
// protobufjs copy that @temporalio/proto itself loads, and hands the replayer a decoded History
// message, which it takes as is. Once npm dedupes protobufjs, the files still read with
// historyFromJSON unchanged.
import { createRequire } from 'node:module';
import type * as proto from '@temporalio/proto';

export type History = proto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

const require = createRequire(import.meta.url);
const fromProto = createRequire(require.resolve('@temporalio/proto'));
const protojson = fromProto('protobufjs/ext/protojson') as ProtoJson;
// The module itself is the protobufjs Root (the ESM namespace only wraps it).
const root = require('@temporalio/proto') as { lookupType(name: string): { fromObject(o: object): unknown } };
const historyType = root.lookupType('temporal.api.history.v1.History');

/** A fetched history as ProtoJSON text (one line: the payloads dominate, not the layout). */
export function historyToJSON(history: History): string {
  const message = historyType.fromObject(history);
  return JSON.stringify(protojson.toJson(historyType, message));
}

/** A ProtoJSON history (as written by historyToJSON or the Temporal CLI) as a History message. */
export function historyFromJSON(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History | null;
  if (!history?.events?.length) throw new TypeError('not a Temporal history: it has no events');
  return history;
}
