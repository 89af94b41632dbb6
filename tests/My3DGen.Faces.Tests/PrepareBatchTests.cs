// A mixed folder through FacePreparer.Prepare: good photos, a mirrored and a rotated copy, two faces, no face and a
// damaged file. Checks the per-photo decisions, that the damaged file is skipped with a one-line reason, that
// dataset.json loads through PersonDataset unchanged, and prepare.json's fields.
using System.Text.Json;
using My3DGen.Engine.IO;
using My3DGen.Faces.Imaging;
using My3DGen.Faces.Preparation;
using My3DGen.Personalization.Data;
using static My3DGen.Faces.Tests.FaceTestData;

namespace My3DGen.Faces.Tests;

[Category("Slow")]
public class PrepareBatchTests
{
    [Test]
    public void MixedFolderPreparesIntoADatasetPersonDatasetLoads()
    {
        string root = Path.Combine(Path.GetTempPath(), "faces-batch-" + Guid.NewGuid().ToString("N"));
        string inputs = Path.Combine(root, "photos"), person = Path.Combine(root, "person");
        Directory.CreateDirectory(inputs);
        try
        {
            var a = Astronaut();
            a.ToRgb().SavePng(Path.Combine(inputs, "a_astronaut.png"));
            Mirrored(a).ToRgb().SavePng(Path.Combine(inputs, "b_mirrored.png"));
            Rotated(a, 10).ToRgb().SavePng(Path.Combine(inputs, "c_rotated.png"));
            NoFace().ToRgb().SavePng(Path.Combine(inputs, "d_noface.png"));
            File.WriteAllText(Path.Combine(inputs, "e_damaged.jpg"), "not a jpeg");
            var summary = Preparer.Prepare(FacePreparer.ExpandInputs([inputs]), person);
            foreach (var e in summary.Photos) TestContext.Out.WriteLine($"{Path.GetFileName(e.Photo)}: {(e.Accepted ? "accepted → " + e.Output : "rejected: " + e.Reason)}");
            Assert.That(summary.Photos.Select(p => p.Accepted), Is.EqualTo(new[] { true, true, true, false, false }));
            Assert.That(summary.Photos[4].Reason, Does.Contain("e_damaged.jpg").And.Not.Contain("\n"));
            // my3dgen project writes <image>_latent.npy next to each image; stand-ins let PersonDataset load the folder.
            using (var doc = JsonDocument.Parse(File.ReadAllBytes(summary.DatasetJson!)))
                foreach (var label in doc.RootElement.GetProperty("labels").EnumerateArray())
                    NpyFile.Write(Path.Combine(person, Path.GetFileNameWithoutExtension(label[0].GetString()!) + "_latent.npy"), [1, 14, 512], new float[14 * 512]);
            var dataset = PersonDataset.Load(person, 512);
            Assert.That(dataset.Samples.Select(s => s.Name), Is.EqualTo(new[] { "a_astronaut.png", "a_astronaut_mirror.png", "b_mirrored.png", "b_mirrored_mirror.png", "c_rotated.png", "c_rotated_mirror.png" }));
            using var prep = JsonDocument.Parse(File.ReadAllBytes(summary.PrepareJson));
            var first = prep.RootElement.GetProperty("photos")[0];
            Assert.That(first.GetProperty("decision").GetString(), Is.EqualTo("accepted"));
            Assert.That(first.GetProperty("points5").GetArrayLength(), Is.EqualTo(5));
            Assert.That(first.GetProperty("pose").GetProperty("yaw").ValueKind, Is.EqualTo(JsonValueKind.Number));
            Assert.That(first.GetProperty("output").GetString(), Is.EqualTo("a_astronaut.png"));
            Assert.That(File.Exists(summary.ContactSheet));
            if (Environment.GetEnvironmentVariable("FACES_DEBUG_DIR") is { } dbg)
            {
                Directory.CreateDirectory(dbg);
                File.Copy(summary.ContactSheet, Path.Combine(dbg, "contact-sheet.png"), true);
                File.Copy(Path.Combine(person, "a_astronaut.png"), Path.Combine(dbg, "a_astronaut_aligned.png"), true);
                File.Copy(summary.PrepareJson, Path.Combine(dbg, "prepare.json"), true);
                File.Copy(summary.DatasetJson!, Path.Combine(dbg, "dataset.json"), true);
            }
        }
        finally { Directory.Delete(root, true); }
    }
}
