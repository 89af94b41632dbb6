// Tolerance checks used by kernel and op tests: report the max abs and rel error in the message.
namespace My3DGen.Engine.Tests.Support;

public static class Compare
{
    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise.</summary>
    public static (double MaxAbs, double MaxRel) Close(float[] actual, double[] expected, double atol, double rtol, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        double maxAbs = 0, maxRel = 0;
        int worst = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(actual[i]) != double.IsNaN(expected[i])) d = double.PositiveInfinity;
            else if (double.IsNaN(actual[i])) d = 0;
            double rel = d / Math.Max(1e-12, Math.Abs(expected[i]));
            if (d > maxAbs) { maxAbs = d; }
            maxRel = Math.Max(maxRel, Math.Min(rel, d));
            if (d > atol + rtol * Math.Abs(expected[i]) && worst < 0) worst = i;
        }
        if (worst >= 0)
            Assert.Fail($"{what}: element {worst} is {actual[worst]}, expected {expected[worst]} (max abs err {maxAbs:E3}, atol {atol}, rtol {rtol})");
        return (maxAbs, maxRel);
    }
}
