/**
 * Deterministic fake media for the fake Muvi CDN.
 *
 * Output videos can be asked to be hundreds of megabytes (download/streaming tests), so bytes are
 * never materialised: a 64 KiB pseudo-random block (seeded by the job id) is repeated, and the first
 * block carries an MP4 `ftyp` box and an `mdat` header so sniffers see a plausible MP4.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';

const BLOCK = 64 * 1024;

function seedFrom(key: string): number {
	const h = createHash('sha256').update(key).digest();
	return h.readUInt32LE(0) || 0x9e3779b9;
}

/** One 64 KiB block of xorshift32 output; the same key always gives the same bytes. */
function patternBlock(key: string): Buffer {
	const out = Buffer.allocUnsafe(BLOCK);
	let x = seedFrom(key);
	for (let i = 0; i < BLOCK; i += 4) {
		x ^= x << 13;
		x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5;
		x >>>= 0;
		out.writeUInt32LE(x, i);
	}
	return out;
}

/** `ftyp` (32 bytes) followed by an `mdat` box header covering the rest of the file. */
export function mp4Header(totalSize: number): Buffer {
	const ftyp = Buffer.alloc(32);
	ftyp.writeUInt32BE(32, 0);
	ftyp.write('ftyp', 4, 'latin1');
	ftyp.write('isom', 8, 'latin1');
	ftyp.writeUInt32BE(0x200, 12);
	ftyp.write('isomiso2avc1mp41', 16, 'latin1');
	const mdatSize = totalSize - 32;
	let mdat: Buffer;
	if (mdatSize > 0xffffffff) {
		// 64-bit "largesize" form for files over 4 GiB.
		mdat = Buffer.alloc(16);
		mdat.writeUInt32BE(1, 0);
		mdat.write('mdat', 4, 'latin1');
		mdat.writeBigUInt64BE(BigInt(mdatSize), 8);
	} else {
		mdat = Buffer.alloc(8);
		mdat.writeUInt32BE(Math.max(0, mdatSize), 0);
		mdat.write('mdat', 4, 'latin1');
	}
	return Buffer.concat([ftyp, mdat]);
}

/** Describes how to produce the bytes of one output file. */
export interface OutputBytes {
	size: number;
	blockAt(index: number): Buffer;
}

export function outputBytes(key: string, size: number, kind: 'mp4' | 'raw' = 'mp4'): OutputBytes {
	const pattern = patternBlock(key);
	const first = Buffer.from(pattern);
	if (kind === 'mp4') mp4Header(size).copy(first, 0);
	return { size, blockAt: (index: number) => (index === 0 ? first : pattern) };
}

/** Streams bytes [start, end] (inclusive) in 64 KiB chunks, honouring back-pressure. */
export function streamOutput(bytes: OutputBytes, start = 0, end = bytes.size - 1): Readable {
	let pos = start;
	return new Readable({
		highWaterMark: BLOCK,
		read() {
			if (pos > end) {
				this.push(null);
				return;
			}
			const index = Math.floor(pos / BLOCK);
			const offset = pos % BLOCK;
			const length = Math.min(BLOCK - offset, end - pos + 1);
			// subarray shares memory with the cached block: no allocation per chunk.
			this.push(bytes.blockAt(index).subarray(offset, offset + length));
			pos += length;
		},
	});
}

/** sha256 (hex) of the output file the fake serves for `key` (the job id) at `size` bytes. */
export function expectedOutputSha256(key: string, size: number, kind: 'mp4' | 'raw' = 'mp4'): string {
	const bytes = outputBytes(key, size, kind);
	const hash = createHash('sha256');
	for (let pos = 0; pos < size; ) {
		const index = Math.floor(pos / BLOCK);
		const length = Math.min(BLOCK, size - pos);
		hash.update(bytes.blockAt(index).subarray(0, length));
		pos += length;
	}
	return hash.digest('hex');
}

/** A small JPEG-looking file (SOI, JFIF APP0, a comment naming it, EOI). */
export function fakeJpeg(label: string): Buffer {
	const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
	const text = Buffer.from(`fake-muvi ${label}`, 'latin1');
	const com = Buffer.concat([Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]), text]);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, com, Buffer.from([0xff, 0xd9])]);
}

function pngChunk(type: string, data: Buffer): Buffer {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length, 0);
	const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData) >>> 0, 0);
	return Buffer.concat([len, typeAndData, crc]);
}

/** A real 1×1 PNG (used as the output of image models). */
export function fakePng(): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(1, 0);
	ihdr.writeUInt32BE(1, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // RGB
	const raw = Buffer.from([0x00, 0x33, 0x99, 0xff]); // filter byte + one pixel
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

export function fakeSvgLogo(label: string): Buffer {
	const safe = label.replace(/[^A-Za-z0-9 +-]/g, '');
	return Buffer.from(
		`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" rx="12" fill="#334155"/><text x="32" y="38" font-size="12" text-anchor="middle" fill="#fff">${safe}</text></svg>`,
	);
}
