/**
 * The Pike VM: runs a {@link Program} over a string in one pass, all
 * alternatives in lockstep, with no backtracking. Threads are kept in
 * priority order, so the match found is the one a backtracking engine would
 * find first (leftmost, then by greedy or lazy preference), and each
 * instruction is entered at most once per input position: time is at most
 * (input length + 1) × program size steps, whatever the regex and input.
 * Captures are reported as Go's regexp reports them (a group keeps its last
 * value; JavaScript clears groups inside a repeated group on every turn).
 *
 * @example
 * ```ts
 * const slots = runProgram(program, '/api/users', 0); // [0, 10, 5, 10] for ^/api/(.*)
 * ```
 */
import { isLineTerminator, isWordChar } from './parse.ts';
import type { Instruction, Program } from './program.ts';

type Captures = number[];

interface ThreadList {
  readonly pcs: number[];
  readonly captures: Captures[];
}

/** Capture slots of the first match at or after `from` (-1 for a group that did not take part), or undefined. */
export function runProgram(program: Program, input: string, from: number): Captures | undefined {
  const { instructions } = program;
  const seen = new Int32Array(instructions.length).fill(-1);
  let current: ThreadList = { pcs: [], captures: [] };
  let next: ThreadList = { pcs: [], captures: [] };
  let matched: Captures | undefined;
  // An anchored regex can only match from position 0: one attempt, and the scan ends when its threads do.
  const attempts = program.anchored ? (from === 0 ? 0 : -1) : input.length;
  for (let at = from; at <= input.length; at++) {
    // A new attempt starting here ranks below every thread already running.
    if (!matched && at <= attempts) add(program, input, current, 0, new Array<number>(program.slots).fill(-1), at, seen);
    if (current.pcs.length === 0) {
      if (matched || at >= attempts) break;
      continue;
    }
    const code = at < input.length ? input.charCodeAt(at) : -1;
    for (let i = 0; i < current.pcs.length; i++) {
      const instruction = instructions[current.pcs[i] as number] as Instruction;
      const captures = current.captures[i] as Captures;
      if (instruction.op === 'match') {
        matched = captures;
        // Every thread after this one ranks lower: drop them.
        break;
      }
      if (instruction.op === 'char' && code !== -1 && instruction.test(code)) {
        add(program, input, next, (current.pcs[i] as number) + 1, captures, at + 1, seen);
      }
    }
    [current, next] = [next, current];
    next.pcs.length = 0;
    next.captures.length = 0;
  }
  return matched;
}

/**
 * Follows jumps, splits, saves and assertions from `pc` in priority order and
 * adds the threads that wait on a character or match to the list of position
 * `at`. An instruction is entered once per position: a later (lower-priority)
 * thread reaching it again is dropped.
 */
function add(program: Program, input: string, list: ThreadList, pc: number, captures: Captures, at: number, seen: Int32Array): void {
  const stack: [number, Captures][] = [[pc, captures]];
  while (stack.length > 0) {
    const [index, caps] = stack.pop() as [number, Captures];
    if (seen[index] === at) continue;
    seen[index] = at;
    const instruction = program.instructions[index] as Instruction;
    switch (instruction.op) {
      case 'jmp':
        stack.push([instruction.x, caps]);
        break;
      case 'split':
        stack.push([instruction.y, caps], [instruction.x, caps]);
        break;
      case 'save': {
        const copy = caps.slice();
        copy[instruction.slot] = at;
        stack.push([index + 1, copy]);
        break;
      }
      case 'assert':
        if (holds(instruction.kind, input, at)) stack.push([index + 1, caps]);
        break;
      default:
        list.pcs.push(index);
        list.captures.push(caps);
    }
  }
}

function holds(kind: Extract<Instruction, { op: 'assert' }>['kind'], input: string, at: number): boolean {
  switch (kind) {
    case 'bot':
      return at === 0;
    case 'eot':
      return at === input.length;
    case 'bol':
      return at === 0 || isLineTerminator(input.charCodeAt(at - 1));
    case 'eol':
      return at === input.length || isLineTerminator(input.charCodeAt(at));
    case 'word':
    case 'notword': {
      const before = at > 0 && isWordChar(input.charCodeAt(at - 1));
      const after = at < input.length && isWordChar(input.charCodeAt(at));
      return (before !== after) === (kind === 'word');
    }
  }
}
