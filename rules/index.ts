// The rule registry: every shipped rule, in the order the docs list them.
import type { Rule } from '../analysis/types';
import { bytewiseRead } from './go/bytewise-read';
import { goroutineLeakEarlyReturn } from './go/goroutine-leak-early-return';
import { loopInvariantConversion } from './go/loop-invariant-conversion';
import { rangeIntUnavailable } from './go/range-int-unavailable';
import { stringBytesRoundtrip } from './go/string-bytes-roundtrip';
import { stringConcatInLoop } from './go/string-concat-in-loop';
import { timerInLoop } from './go/timer-in-loop';
import { waitgroupGoUnavailable } from './go/waitgroup-go-unavailable';
import { awaitInLoop } from './python/await-in-loop';
import { blockingIoInAsync } from './python/blocking-io-in-async';
import { doublePass } from './python/double-pass';
import { executorPerCall } from './python/executor-per-call';
import { getEventLoopInCoroutine } from './python/get-event-loop-in-coroutine';
import { globThenFilter } from './python/glob-then-filter';
import { httpWithoutTimeout } from './python/http-without-timeout';
import { importInLoop } from './python/import-in-loop';
import { insertFrontInLoop } from './python/insert-front-in-loop';
import { loopInvariantCall } from './python/loop-invariant-call';
import { materializedThenIterated } from './python/materialized-then-iterated';
import { quadraticConcat } from './python/quadratic-concat';
import { recomputedChecksum } from './python/recomputed-checksum';
import { repeatedDeepcopy } from './python/repeated-deepcopy';
import { requestsWithoutSession } from './python/requests-without-session';
import { sequentialFileReads } from './python/sequential-file-reads';
import { shellSubprocess } from './python/shell-subprocess';
import { unboundedHistory } from './python/unbounded-history';
import { writePerIteration } from './python/write-per-iteration';

export const RULES: readonly Rule[] = [
  importInLoop,
  quadraticConcat,
  blockingIoInAsync,
  getEventLoopInCoroutine,
  insertFrontInLoop,
  httpWithoutTimeout,
  loopInvariantCall,
  shellSubprocess,
  materializedThenIterated,
  requestsWithoutSession,
  globThenFilter,
  awaitInLoop,
  executorPerCall,
  writePerIteration,
  recomputedChecksum,
  repeatedDeepcopy,
  unboundedHistory,
  sequentialFileReads,
  doublePass,
  waitgroupGoUnavailable,
  rangeIntUnavailable,
  goroutineLeakEarlyReturn,
  stringBytesRoundtrip,
  loopInvariantConversion,
  timerInLoop,
  bytewiseRead,
  stringConcatInLoop,
];

export function findRule(idOrShort: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === idOrShort || r.meta.id.endsWith(`/${idOrShort}`));
}
