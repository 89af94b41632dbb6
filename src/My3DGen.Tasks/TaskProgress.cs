// Progress of a task run (interpolate, synthesize, edit): one report per rendered latent row.
namespace My3DGen.Tasks;

/// <summary>A task finished <paramref name="Done"/> of <paramref name="Total"/> rows; <paramref name="Detail"/> names the row.</summary>
public sealed record TaskProgress(int Done, int Total, string Detail, TimeSpan Elapsed);
