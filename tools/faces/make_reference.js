// Reference outputs of the three face graph models from TF.js's own CPU backend, for the C# graph runner's parity
// tests. Inputs are a deterministic formula (tools/faces/README.md), so only outputs go into tests/fixtures/faces.
// Run: npm install @tensorflow/tfjs-core@4 @tensorflow/tfjs-converter@4 @tensorflow/tfjs-backend-cpu@4; node make_reference.js
const fs = require('fs');
const path = require('path');
const { tf, outDir, writeNpy, load } = require('./tfjs_common');

// The pattern value in [0,1] at (h, w, c); the C# test computes the same in double and rounds to float32.
function pattern(h, w, c) {
  return 0.5 + 0.25 * Math.sin(0.21 * h + 0.5 * c) + 0.2 * Math.cos(0.17 * w - 0.3 * c) + 0.05 * Math.sin(1.3 * ((h * w) % 97));
}

function makeInput(size, map) {
  const data = new Float32Array(size * size * 3);
  let i = 0;
  for (let h = 0; h < size; h++) for (let w = 0; w < size; w++) for (let c = 0; c < 3; c++) data[i++] = map(pattern(h, w, c));
  return tf.tensor4d(data, [1, size, size, 3]);
}

async function main() {
  await tf.setBackend('cpu');
  const runs = [
    { name: 'blazeface', size: 256, map: (v) => 2 * v - 1, outputs: ['Identity', 'Identity_1', 'Identity_2', 'Identity_3'] },
    { name: 'facemesh', size: 192, map: (v) => v, outputs: ['Identity', 'Identity_1', 'Identity_2'] },
    { name: 'mobilefacenet', size: 112, map: (v) => (v * 255 - 127.5) / 128, outputs: ['embeddings'] },
  ];
  const summary = {};
  for (const r of runs) {
    const { model } = await load(r.name);
    const input = makeInput(r.size, r.map);
    const outs = model.execute(input, r.outputs);
    const list = Array.isArray(outs) ? outs : [outs];
    summary[r.name] = {};
    for (let k = 0; k < list.length; k++) {
      const data = await list[k].data();
      writeNpy(path.join(outDir, `${r.name}.${r.outputs[k]}.npy`), data, list[k].shape);
      summary[r.name][r.outputs[k]] = list[k].shape;
    }
  }
  // Dequantisation: a few real float16 weights of facemesh as TF.js decodes them, and a synthetic uint8 + float16 blob.
  const { json, bin } = await load('facemesh');
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const decoded = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), specs);
  const fp16 = {};
  for (const s of specs.filter((w) => w.quantization).slice(0, 4)) fp16[s.name] = Array.from((await decoded[s.name].data()).slice(0, 16));
  const q8 = Uint8Array.from([0, 1, 2, 127, 128, 200, 254, 255]);
  const h16 = Uint16Array.from([0x0000, 0x3c00, 0xbc00, 0x0001, 0x03ff, 0x7bff, 0x3555, 0xc500]);
  const blob = Buffer.concat([Buffer.from(q8), Buffer.from(h16.buffer)]);
  const synthSpecs = [
    { name: 'q8', shape: [2, 4], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.0123, min: -1.5 } },
    { name: 'h16', shape: [8], dtype: 'float32', quantization: { dtype: 'float16' } },
  ];
  const synth = tf.io.decodeWeights(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength), synthSpecs);
  const dequant = {
    facemeshFloat16: fp16,
    synthetic: { bytesBase64: blob.toString('base64'), weights: synthSpecs,
      decoded: { q8: Array.from(await synth.q8.data()), h16: Array.from(await synth.h16.data()) } },
    outputs: summary,
    tfjs: tf.version_core,
  };
  fs.writeFileSync(path.join(outDir, 'dequantisation.json'), JSON.stringify(dequant, null, 1));
  console.log(JSON.stringify(summary));
}
main().catch((e) => { console.error(e); process.exit(1); });
