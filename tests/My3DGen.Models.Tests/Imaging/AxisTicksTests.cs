// Axis ticks: 1-2-5 steps and ranges on linear axes, decades (and 2, 5 in between) on logarithmic axes, and labels.
using My3DGen.Models.Imaging;

namespace My3DGen.Models.Tests.Imaging;

public class AxisTicksTests
{
    [TestCase(0.3, 0.5)]
    [TestCase(1.0, 1.0)]
    [TestCase(1.5, 2.0)]
    [TestCase(19.8, 20.0)]
    [TestCase(7.0, 10.0)]
    [TestCase(0.0042, 0.005)]
    public void NiceStepIsOneTwoOrFiveTimesAPowerOfTen(double raw, double expected) =>
        Assert.That(AxisTicks.NiceStep(raw), Is.EqualTo(expected).Within(1e-12));

    [Test]
    public void StepsOneToHundredGetTicksEveryTwenty()
    {
        var a = AxisTicks.Linear(1, 100);
        Assert.That(a.Ticks, Is.EqualTo(new[] { 0.0, 20, 40, 60, 80, 100 }));
        Assert.That(a.Labels, Is.EqualTo(new[] { "0", "20", "40", "60", "80", "100" }));
        Assert.That((a.Min, a.Max, a.Logarithmic), Is.EqualTo((0.0, 100.0, false)));
    }

    [Test]
    public void SmallLossRangeGetsDecimalLabels()
    {
        var a = AxisTicks.Linear(0.105, 0.52);
        Assert.That(a.Ticks, Is.EqualTo(new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 }).Within(1e-12));
        Assert.That(a.Labels, Is.EqualTo(new[] { "0.1", "0.2", "0.3", "0.4", "0.5", "0.6" }));
    }

    [Test]
    public void NegativeRangeCrossesZeroCleanly()
    {
        var a = AxisTicks.Linear(-3.2, 7.9);
        Assert.That(a.Labels, Is.EqualTo(new[] { "-4", "-2", "0", "2", "4", "6", "8" }));
    }

    [Test]
    public void MinimumStepKeepsTicksOnWholeSteps()
    {
        Assert.That(AxisTicks.Linear(1, 3).Labels, Is.EqualTo(new[] { "1.0", "1.5", "2.0", "2.5", "3.0" }));
        Assert.That(AxisTicks.Linear(1, 3, minStep: 1).Labels, Is.EqualTo(new[] { "1", "2", "3" }));
        Assert.That(AxisTicks.Linear(1, 1, minStep: 1).Labels, Is.EqualTo(new[] { "0", "1", "2" }));
    }

    [Test]
    public void ConstantDataStillGetsARange()
    {
        var a = AxisTicks.Linear(5, 5);
        Assert.That(a.Min, Is.LessThan(5));
        Assert.That(a.Max, Is.GreaterThan(5));
        Assert.That(a.Ticks, Has.Count.GreaterThanOrEqualTo(2));
    }

    [Test]
    public void ManyDecadesShowOnlyPowersOfTen()
    {
        var a = AxisTicks.Logarithmic(1e-5, 0.7);
        Assert.That(a.Logarithmic, Is.True);
        Assert.That(a.Ticks, Is.EqualTo(new[] { 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1 }).Within(1e-15));
        Assert.That(a.Labels, Is.EqualTo(new[] { "1e-5", "0.0001", "0.001", "0.01", "0.1", "1" }));
        Assert.That(a.Fraction(1e-3), Is.EqualTo(0.4).Within(1e-12));
    }

    [Test]
    public void FewDecadesAlsoShowTwosAndFives()
    {
        var a = AxisTicks.Logarithmic(0.03, 0.9);
        Assert.That(a.Labels, Is.EqualTo(new[] { "0.02", "0.05", "0.1", "0.2", "0.5", "1" }));
        Assert.That(a.Min, Is.EqualTo(0.02).Within(1e-12));
        Assert.That(a.Max, Is.EqualTo(1.0).Within(1e-12));
    }

    [Test]
    public void LogAxisRejectsNonPositiveValues() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AxisTicks.Logarithmic(0, 1));
}
