// Shared by the reference scripts: load a graph model of models/face into TF.js (CPU backend), write .npy files, and
// read an 8-bit RGB non-interlaced PNG (enough for tests/fixtures/faces/astronaut.png) without extra packages.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfconv = require('@tensorflow/tfjs-converter');

const root = path.resolve(__dirname, '../..');
const modelDir = path.join(root, 'models/face');
const outDir = path.join(root, 'tests/fixtures/faces');

function writeNpy(file, data, shape) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1'); pre[6] = 1; pre[7] = 0; pre.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(new Float32Array(data).buffer)]));
}

async function load(name) {
  const json = JSON.parse(fs.readFileSync(path.join(modelDir, name + '.json'), 'utf8'));
  const bin = fs.readFileSync(path.join(modelDir, name + '.bin'));
  const handler = { load: async () => ({
    modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
    signature: json.signature, userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
  }) };
  return { model: await tfconv.loadGraphModel(handler), json, bin };
}

// { width, height, rgb: Uint8Array (row-major, 3 bytes a pixel) } of an 8-bit RGB, non-interlaced PNG.
function readPng(file) {
  const buf = fs.readFileSync(file);
  let pos = 8, width = 0, height = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos), type = buf.toString('latin1', pos + 4, pos + 8), body = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0); height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[9] !== 2 || body[12] !== 0) throw new Error(`${file}: only 8-bit RGB non-interlaced PNGs are read`);
    } else if (type === 'IDAT') idat.push(body);
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat)), stride = width * 3, rgb = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= 3 ? rgb[y * stride + x - 3] : 0, b = y > 0 ? rgb[(y - 1) * stride + x] : 0, c = x >= 3 && y > 0 ? rgb[(y - 1) * stride + x - 3] : 0;
      let p;
      switch (filter) {
        case 0: p = 0; break;
        case 1: p = a; break;
        case 2: p = b; break;
        case 3: p = (a + b) >> 1; break;
        case 4: { const q = a + b - c, pa = Math.abs(q - a), pb = Math.abs(q - b), pc = Math.abs(q - c); p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c; break; }
        default: throw new Error(`${file}: PNG filter ${filter}`);
      }
      rgb[y * stride + x] = (line[x] + p) & 255;
    }
  }
  return { width, height, rgb };
}

module.exports = { tf, root, modelDir, outDir, writeNpy, load, readPng };
