namespace EdgeFace.Trainer.Optimization;

/// <summary>How the learning rate decays after warm-up.</summary>
public enum DecayKind { Cosine, Step, Constant }

/// <summary>
/// Linear warm-up from 0 over <see cref="WarmupSteps"/>, then cosine decay to <see cref="MinLearningRate"/> at
/// <see cref="TotalSteps"/>, or a step decay multiplying by <see cref="Gamma"/> every <see cref="StepSize"/> steps.
/// </summary>
public sealed record LearningRateSchedule(float BaseLearningRate, int WarmupSteps, int TotalSteps,
    DecayKind Decay = DecayKind.Cosine, int StepSize = 1000, float Gamma = 0.1f, float MinLearningRate = 0f)
{
    /// <summary>The rate for the 0-based <paramref name="step"/>.</summary>
    public float At(long step)
    {
        if (step < WarmupSteps) return BaseLearningRate * (step + 1) / WarmupSteps;
        var after = step - WarmupSteps;
        return Decay switch
        {
            DecayKind.Cosine => MinLearningRate + (BaseLearningRate - MinLearningRate) * 0.5f *
                (1 + MathF.Cos(MathF.PI * Math.Min(1f, after / (float)Math.Max(1, TotalSteps - WarmupSteps)))),
            DecayKind.Step => BaseLearningRate * MathF.Pow(Gamma, after / Math.Max(1, StepSize)),
            _ => BaseLearningRate,
        };
    }
}
