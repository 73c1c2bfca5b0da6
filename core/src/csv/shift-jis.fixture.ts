import { TextDecoder } from 'node:util';

let table: Map<string, number[]> | undefined;

/**
 * Encodes text as Shift_JIS (Windows-31J) for test files, by inverting Node's decoder over every
 * one- and two-byte sequence. Node has a Shift_JIS decoder but no encoder.
 */
export function encodeShiftJis(text: string): Uint8Array {
  if (!table) {
    table = new Map();
    const decoder = new TextDecoder('shift_jis');
    for (let byte = 0; byte <= 0xdf; byte += 1) if (byte < 0x80 || byte >= 0xa1) table.set(decoder.decode(new Uint8Array([byte])), [byte]);
    for (const lead of [...range(0x81, 0x9f), ...range(0xe0, 0xfc)]) {
      for (const trail of range(0x40, 0xfc)) {
        const character = decoder.decode(new Uint8Array([lead, trail]));
        if (character.length === 1 && character !== '\ufffd' && !table.has(character)) table.set(character, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const character of text) {
    const encoded = table.get(character);
    if (!encoded) throw new Error(`${character} has no Shift_JIS encoding`);
    bytes.push(...encoded);
  }
  return new Uint8Array(bytes);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}
