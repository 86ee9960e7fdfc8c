namespace EdgeFace.Trainer.Kernels;

/// <summary>A batch of independent tasks numbered 0..count-1; tasks of one batch never write the same memory.</summary>
internal interface IParallelWork
{
    void Execute(int task);
}
