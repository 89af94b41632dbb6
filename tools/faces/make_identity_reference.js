// MobileFaceNet on real photo pixels with TF.js (CPU backend): 112² windows cut straight from astronaut.png (no
// resampling, so the C# test cuts the same ones), RGB mapped by (x − 127.5)/128. Writes the embeddings to
// tests/fixtures/faces/mobilefacenet.windows.npy [windows, 192] and prints their cosines to the face window.
// Run: node make_identity_reference.js (the same npm packages as make_reference.js).
const path = require('path');
const { tf, root, outDir, writeNpy, load, readPng } = require('./tfjs_common');

// name, left, top, mirrored — keep in step with IdentityTests.Windows.
const windows = [
  ['face', 169, 50, false], ['face mirrored', 169, 50, true], ['face shifted 8 px', 177, 50, false],
  ['flag (no face)', 0, 0, false], ['suit (no face)', 300, 380, false],
];

async function main() {
  await tf.setBackend('cpu');
  const { model } = await load('mobilefacenet');
  const png = readPng(path.join(root, 'tests/fixtures/faces/astronaut.png'));
  const all = [];
  for (const [, x0, y0, mirrored] of windows) {
    const data = new Float32Array(112 * 112 * 3);
    for (let y = 0; y < 112; y++)
      for (let x = 0; x < 112; x++)
        for (let c = 0; c < 3; c++) {
          const sx = x0 + (mirrored ? 111 - x : x);
          data[(y * 112 + x) * 3 + c] = (png.rgb[((y0 + y) * png.width + sx) * 3 + c] - 127.5) / 128;
        }
    all.push(Array.from(await model.execute(tf.tensor4d(data, [1, 112, 112, 3]), 'embeddings').data()));
  }
  writeNpy(path.join(outDir, 'mobilefacenet.windows.npy'), all.flat(), [all.length, all[0].length]);
  const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);
  windows.forEach(([name], i) => console.log(`${name}: cos to face ${dot(all[0], all[i]).toFixed(4)}`));
}
main().catch((e) => { console.error(e); process.exit(1); });
