using EdgeFace.Runtime.Inference;

namespace EdgeFace.Runtime.Faces;

/// <summary>Creates the detector that decodes a session's model family. Takes ownership of the session.</summary>
public static class FaceDetectorFactory
{
    public static IFaceDetector Create(ModelSession session, FaceDetectorOptions? options = null)
    {
        try
        {
            return session.Manifest.Family switch
            {
                "yunet" => new YuNetDetector(session, options),
                "scrfd" => new ScrfdDetector(session, options),
                "ultraface" => throw new EdgeFaceException($"{session.Entry.FileName}: UltraFace gives boxes without landmarks; the face pipeline needs a 5-landmark detector (yunet or scrfd)"),
                var f => throw new EdgeFaceException($"{session.Entry.FileName}: no decoder for detector family '{f}' (supported: yunet, scrfd)"),
            };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
