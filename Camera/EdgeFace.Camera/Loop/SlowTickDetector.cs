namespace EdgeFace.Camera.Loop;

/// <summary>
/// "Running slowly" with hysteresis: on after <c>onAfter</c> consecutive late ticks, off only after
/// <c>offAfter</c> consecutive on-time ticks, so one slow frame does not flip the loop's behaviour back and forth.
/// </summary>
public sealed class SlowTickDetector(int onAfter, int offAfter)
{
    private int _late;
    private int _onTime;

    public bool IsRunningSlowly { get; private set; }

    public bool Update(bool late)
    {
        if (late) { _late++; _onTime = 0; }
        else { _onTime++; _late = 0; }
        if (!IsRunningSlowly && _late >= onAfter) IsRunningSlowly = true;
        else if (IsRunningSlowly && _onTime >= offAfter) IsRunningSlowly = false;
        return IsRunningSlowly;
    }
}
