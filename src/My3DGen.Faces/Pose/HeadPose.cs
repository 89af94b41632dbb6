// Head pose from the FaceMesh landmarks: the rotation that best maps MediaPipe's canonical face (x to the image right,
// y up, z toward the camera, the frame of EG3D's "frontal" within a degree or two) onto the measured rigid upper-face
// points (x right, y down, z away: OpenCV camera axes), by an orthogonal Procrustes fit (Kabsch). It becomes EG3D's
// cam2world the way 3dface2idr_mat.py and preprocess_face_cameras.py do it: camera 2.7 away along the face's view
// direction, plus (0, 0.006, 0.161), rescaled to radius 2.7, with the FFHQ intrinsics.
using MathNet.Numerics.LinearAlgebra;
using My3DGen.Faces.Landmarks;
using My3DGen.Models.Cameras;

namespace My3DGen.Faces.Pose;

/// <summary>A head pose: rotation world→camera (EG3D world, OpenCV camera) and the EG3D label built from it.</summary>
public sealed class HeadPose
{
    /// <summary>World→camera rotation, row-major 3×3: columns are the world axes in camera coordinates.</summary>
    public double[,] WorldToCamera { get; }

    /// <summary>EG3D's camera radius.</summary>
    public const double Radius = 2.7;

    HeadPose(double[,] r) => WorldToCamera = r;

    /// <summary>Fits the pose to <paramref name="mesh"/> (photo pixels; z away from the camera) over the canonical face's rigid points.</summary>
    public static HeadPose Fit(FaceMesh mesh, CanonicalFace canonical)
    {
        var idx = canonical.RigidIndices;
        var t = Matrix<double>.Build.Dense(idx.Count, 3, (i, j) => Coord(canonical.Vertices[idx[i]], j));
        var p = Matrix<double>.Build.Dense(idx.Count, 3, (i, j) => Coord(mesh.Points[idx[i]], j));
        var tc = Centre(t); var pc = Centre(p);
        // Find R (world→camera) minimising Σ |s R tᵢ − pᵢ|²: R = V Uᵀ from the SVD of tcᵀ pc, with a reflection guard.
        var svd = (tc.Transpose() * pc).Svd(true);
        var u = svd.U; var vt = svd.VT;
        var r = vt.Transpose() * u.Transpose();
        if (r.Determinant() < 0)
        {
            var d = Matrix<double>.Build.DenseIdentity(3); d[2, 2] = -1;
            r = vt.Transpose() * d * u.Transpose();
        }
        return new HeadPose(r.ToArray());
    }

    static double Coord(Point3 p, int j) => j == 0 ? p.X : j == 1 ? p.Y : p.Z;

    static Matrix<double> Centre(Matrix<double> m)
    {
        var mean = m.ColumnSums() / m.RowCount;
        return m - Matrix<double>.Build.Dense(m.RowCount, 3, (i, j) => mean[j]);
    }

    /// <summary>The camera centre in EG3D's world: 2.7 along the face's view direction, plus EG3D's (0, 0.006, 0.161), at radius 2.7.</summary>
    public double[] CameraCentre()
    {
        // Camera forward (+z) in world = third row of world→camera; the camera sits 2.7 behind it.
        double[] c = [-Radius * WorldToCamera[2, 0], -Radius * WorldToCamera[2, 1] + 0.006, -Radius * WorldToCamera[2, 2] + 0.161];
        double n = Math.Sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
        return [c[0] / n * Radius, c[1] / n * Radius, c[2] / n * Radius];
    }

    /// <summary>The 25-float EG3D label: cam2world [R_cw | C] row-major (R_cw = world→cameraᵀ), then the FFHQ intrinsics.</summary>
    public float[] Label()
    {
        var c = CameraCentre();
        var label = new float[25];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++) label[4 * i + j] = (float)WorldToCamera[j, i];
            label[4 * i + 3] = (float)c[i];
        }
        label[15] = 1;
        CameraLabel.Intrinsics(CameraLabel.FfhqFocal).CopyTo(label, 16);
        return label;
    }

    /// <summary>Yaw (camera toward +x positive), pitch (camera above the face positive) and roll (face turned
    /// counter-clockwise in the image positive), in degrees.</summary>
    public (double Yaw, double Pitch, double Roll) Angles()
    {
        var c = CameraCentre();
        double yaw = Math.Atan2(c[0], c[2]) * 180 / Math.PI;
        double pitch = Math.Atan2(c[1], Math.Sqrt(c[0] * c[0] + c[2] * c[2])) * 180 / Math.PI;
        double roll = Math.Atan2(-WorldToCamera[1, 0], WorldToCamera[0, 0]) * 180 / Math.PI;
        return (yaw, pitch, roll);
    }

    /// <summary>EG3D's flip_yaw for a mirrored image: S·P·S with S = diag(−1, 1, 1, 1) on a 25-float label.</summary>
    public static float[] MirrorLabel(float[] label)
    {
        var m = (float[])label.Clone();
        foreach (int i in new[] { 1, 2, 4, 8, 3 }) m[i] = -m[i];
        return m;
    }
}
