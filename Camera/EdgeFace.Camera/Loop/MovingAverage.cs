namespace EdgeFace.Camera.Loop;

/// <summary>Exponential moving average; the first sample seeds it.</summary>
public struct MovingAverage(double alpha)
{
    private bool _seeded;
    public double Value { get; private set; }

    public void Add(double sample)
    {
        Value = _seeded ? Value + alpha * (sample - Value) : sample;
        _seeded = true;
    }
}
