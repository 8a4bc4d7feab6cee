/**
 * Aho–Corasick over UTF-16 code units: every occurrence of every phrase in one left-to-right pass, in time linear
 * in the text plus the number of occurrences, whatever the text. It replaces alternation regexes, which backtrack
 * on crafted input and grow with the registries.
 */

export interface PhraseAutomaton<T> {
  /** Calls `visit` for each occurrence, in order of its end; `start`/`end` are code-unit offsets, end exclusive. */
  forEachMatch(text: string, visit: (value: T, start: number, end: number) => void): void;
}

export function phraseAutomaton<T>(phrases: ReadonlyArray<readonly [phrase: string, value: T]>): PhraseAutomaton<T> {
  // Transitions of all nodes in one map keyed node·2¹⁶ + unit: compact, and a lookup is one hash probe.
  const next = new Map<number, number>();
  const children: number[][] = [[]];
  const depth: number[] = [0];
  const values: T[][] = [[]];
  for (const [phrase, value] of phrases) {
    if (phrase.length === 0) continue;
    let node = 0;
    for (let i = 0; i < phrase.length; i += 1) {
      const key = node * 0x10000 + phrase.charCodeAt(i);
      let child = next.get(key);
      if (child === undefined) {
        child = depth.length;
        next.set(key, child);
        children[node]!.push(phrase.charCodeAt(i), child);
        children.push([]);
        depth.push(depth[node]! + 1);
        values.push([]);
      }
      node = child;
    }
    values[node]!.push(value);
  }

  // Breadth first: a node's failure link is the longest proper suffix of its phrase that is also a trie path;
  // its output link is the nearest node on that failure chain that ends a phrase.
  const fail = new Int32Array(depth.length);
  const output = new Int32Array(depth.length);
  const queue: number[] = [0];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head]!;
    const kids = children[node]!;
    for (let k = 0; k < kids.length; k += 2) {
      const unit = kids[k]!;
      const child = kids[k + 1]!;
      let link = 0;
      if (node !== 0) {
        let f = fail[node]!;
        for (;;) {
          const step = next.get(f * 0x10000 + unit);
          if (step !== undefined) {
            link = step;
            break;
          }
          if (f === 0) break;
          f = fail[f]!;
        }
      }
      fail[child] = link;
      output[child] = values[link]!.length > 0 ? link : output[link]!;
      queue.push(child);
    }
  }

  // For ASCII, the complete transition table (failure links folded in, filled breadth first so a node's failure
  // target is complete before it): one array read per character of the text, which is mostly ASCII.
  const ascii = new Int32Array(depth.length * 128);
  for (const node of queue) {
    for (let unit = 0; unit < 128; unit += 1) {
      const child = next.get(node * 0x10000 + unit);
      ascii[node * 128 + unit] = child ?? (node === 0 ? 0 : ascii[fail[node]! * 128 + unit]!);
    }
  }

  return {
    forEachMatch(text, visit) {
      if (depth.length === 1) return;
      let node = 0;
      for (let i = 0; i < text.length; i += 1) {
        const unit = text.charCodeAt(i);
        if (unit < 128) node = ascii[node * 128 + unit]!;
        else {
          let step = next.get(node * 0x10000 + unit);
          while (step === undefined && node !== 0) {
            node = fail[node]!;
            step = next.get(node * 0x10000 + unit);
          }
          node = step ?? 0;
        }
        if (node === 0) continue;
        for (let hit = values[node]!.length > 0 ? node : output[node]!; hit !== 0; hit = output[hit]!) {
          for (const value of values[hit]!) visit(value, i + 1 - depth[hit]!, i + 1);
        }
      }
    },
  };
}
