using EdgeFace.Runtime.Evaluation;

namespace EdgeFace.Runtime.Tests.Evaluation;

public class ThresholdCalibrationTests
{
    [Fact]
    public void Calibrated_threshold_meets_the_target_far_and_brackets_it_with_an_interval()
    {
        var rng = new Random(3);
        double Normal(double mean, double sd) =>
            mean + sd * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var genuine = Enumerable.Range(0, 2000).Select(_ => Normal(0.6, 0.1)).ToArray();
        var impostor = Enumerable.Range(0, 50000).Select(_ => Normal(0.1, 0.1)).ToArray();
        var result = ThresholdCalibration.AtFar(RocCurve.From(genuine, impostor), 1e-3, bootstrapRounds: 300);
        Assert.True(result.AchievedFar <= 1e-3);
        Assert.InRange(result.Threshold, result.ThresholdInterval.Low, result.ThresholdInterval.High);
        Assert.InRange(result.Frr, result.FrrInterval.Low, result.FrrInterval.High);
        Assert.True(result.ThresholdInterval.High - result.ThresholdInterval.Low < 0.1);
        Assert.False(result.Underpowered);
    }

    [Fact]
    public void Too_few_impostors_for_the_far_is_flagged()
    {
        var result = ThresholdCalibration.AtFar(RocCurve.From([0.9, 0.8], [0.1, 0.2, 0.3]), 1e-4, bootstrapRounds: 10);
        Assert.True(result.Underpowered);
        Assert.Equal(0.0, result.AchievedFar);
    }
}
