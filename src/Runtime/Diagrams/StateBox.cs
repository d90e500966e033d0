using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Diagrams;

/// <summary>Where one state is drawn: its rectangle (absolute once laid out) and the boxes of its children.</summary>
internal sealed class StateBox(StateNode node, IReadOnlyList<string> notes)
{
    public StateNode Node { get; } = node;

    /// <summary>Targetless transitions, written inside the box: they enter and exit nothing, so no arrow fits them.</summary>
    public IReadOnlyList<string> Notes { get; } = notes;

    public List<StateBox> Children { get; } = new();

    /// <summary>Compound states: the child the start dot points at.</summary>
    public StateBox? Initial { get; set; }

    /// <summary>Parallel states: the heights (absolute once laid out) of the dashed lines between regions.</summary>
    public List<double> Separators { get; } = new();

    public double X { get; set; }
    public double Y { get; set; }
    public double Width { get; set; }
    public double Height { get; set; }

    public double CenterX => X + Width / 2;
    public double CenterY => Y + Height / 2;

    /// <summary>
    /// Turns positions measured relative to each parent (children's X and Y, separators' heights) into absolute
    /// ones, this box's own position being absolute already.
    /// </summary>
    public void MakeAbsolute()
    {
        for (var i = 0; i < Separators.Count; i++) Separators[i] += Y;
        foreach (var child in Children)
        {
            child.X += X;
            child.Y += Y;
            child.MakeAbsolute();
        }
    }
}
