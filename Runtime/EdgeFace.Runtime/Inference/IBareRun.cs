namespace EdgeFace.Runtime.Inference;

/// <summary>
/// For benchmarks: runs a component's ONNX graph alone on the tensors its last real call prepared, so the cost of
/// everything around the model (pre-processing, decoding, alignment) can be measured against the bare model.
/// </summary>
public interface IBareRun
{
    void RunBare();
}
