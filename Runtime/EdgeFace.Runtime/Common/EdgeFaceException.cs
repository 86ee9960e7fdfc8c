namespace EdgeFace.Runtime;

/// <summary>
/// An error caused by the user's input or environment (a bad file, a missing model, a wrong key).
/// Hosts print <see cref="Exception.Message"/> as one line and exit non-zero, with no stack trace,
/// so the message must say what is wrong and name the file or value involved.
/// </summary>
public class EdgeFaceException : Exception
{
    public EdgeFaceException(string message) : base(message) { }
    public EdgeFaceException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Process exit code a host should use for this error.</summary>
    public virtual int ExitCode => 2;
}
