using EdgeFace.Runtime;

namespace EdgeFace.Camera.Decisions;

/// <summary>
/// What the people at the kiosk asked for: the mode, the identity claimed on screen (verify mode), and an operator's
/// pending enrolment. Written by the web server's threads, read by the loop each tick; all members are thread-safe.
/// </summary>
public sealed class KioskSession(KioskMode mode)
{
    private volatile string? _claimed;
    private volatile string? _enrolName;

    public KioskMode Mode { get; } = mode;
    public string? ClaimedIdentity => _claimed;
    public string? PendingEnrolment => _enrolName;

    /// <summary>Sets the identity the next person claims to be (verify mode); null clears the claim.</summary>
    public void Claim(string? identity) => _claimed = string.IsNullOrWhiteSpace(identity) ? null : identity.Trim();

    /// <summary>Asks the loop to capture the next good face as <paramref name="name"/>.</summary>
    public void RequestEnrolment(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new EdgeFaceException("enrolment name is empty");
        if (name.Length > 100 || name.Any(char.IsControl)) throw new EdgeFaceException("enrolment name must be at most 100 printable characters");
        _enrolName = name.Trim();
    }

    internal void EnrolmentDone(string name) => Interlocked.CompareExchange(ref _enrolName, null, name);
}
