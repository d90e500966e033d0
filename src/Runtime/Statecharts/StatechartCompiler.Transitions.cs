using System.Globalization;
using System.Text.Json;

namespace XStateNet.Actors.Statecharts;

/// <summary>Pass 2: each state's transitions (on, after, always, onDone), grouped by event.</summary>
internal sealed partial class StatechartCompiler
{
    private void CompileTransitions(StateNode node)
    {
        if (node.Kind == StateKind.History) return;
        var (json, jsonPath) = _sources[node];
        var byEvent = new Dictionary<int, List<Transition>>();
        var wildcards = new List<(string Descriptor, List<Transition> Candidates)>();
        var eventless = new List<Transition>();

        if (json.TryGetProperty("on", out var on)) ReadOn(node, on, JsonPaths.Property(jsonPath, "on"), byEvent, wildcards, eventless);

        if (json.TryGetProperty("always", out var always))
            eventless.AddRange(ReadTransitions(node, always, JsonPaths.Property(jsonPath, "always")));

        if (json.TryGetProperty("after", out var after)) ReadAfter(node, after, JsonPaths.Property(jsonPath, "after"), byEvent);

        if (json.TryGetProperty("onDone", out var onDone))
        {
            var donePath = JsonPaths.Property(jsonPath, "onDone");
            if (node.DoneEventId < 0 || node.Index == 0)
                Fail(donePath, node.Index == 0
                    ? "'onDone' on the machine is never taken: the machine is done when a top-level final state is entered"
                    : "'onDone' is only allowed on compound and parallel states");
            else AddCandidates(byEvent, node.DoneEventId, ReadTransitions(node, onDone, donePath));
        }

        if (node.Kind == StateKind.Final && (byEvent.Count > 0 || wildcards.Count > 0 || eventless.Count > 0))
            Fail(jsonPath, "a final state cannot have outgoing transitions");

        var ids = byEvent.Keys.Order().ToArray();
        node.Events = ids.Length == 0 && wildcards.Count == 0
            ? EventTransitions.Empty
            : new EventTransitions(ids, ids.Select(id => byEvent[id].ToArray()).ToArray(),
                wildcards
                    .OrderByDescending(w => w.Descriptor.Length) // XState: the most specific descriptor first; '*' last
                    .Select(w => new WildcardTransitions(w.Descriptor == StatechartEvents.Wildcard ? "" : w.Descriptor[..^2], w.Candidates.ToArray()))
                    .ToArray());
        node.Eventless = eventless.ToArray();
    }

    private void ReadOn(StateNode node, JsonElement on, string onPath, Dictionary<int, List<Transition>> byEvent,
        List<(string, List<Transition>)> wildcards, List<Transition> eventless)
    {
        if (on.ValueKind == JsonValueKind.Array)
        {
            // XState v4's array form: [{ "event": "GO", "target": "b" }, ...]
            var index = 0;
            foreach (var item in on.EnumerateArray())
            {
                var itemPath = JsonPaths.Item(onPath, index++);
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.String)
                {
                    Fail(itemPath, "each item of an 'on' array must be an object with a string 'event'");
                    continue;
                }
                AddOn(node, ev.GetString()!, ReadTransition(node, item, itemPath, ignore: "event"), itemPath, byEvent, wildcards, eventless);
            }
            return;
        }
        if (on.ValueKind != JsonValueKind.Object)
        {
            Fail(onPath, $"'on' must be an object mapping event names to transitions, not {JsonValues.Describe(on.ValueKind)}");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in on.EnumerateObject())
        {
            var path = JsonPaths.Property(onPath, property.Name);
            if (!seen.Add(property.Name))
            {
                Fail(path, $"event '{property.Name}' appears twice in the same 'on' block; use an array of candidates");
                continue;
            }
            AddOn(node, property.Name, ReadTransitions(node, property.Value, path), path, byEvent, wildcards, eventless);
        }
    }

    private void AddOn(StateNode node, string descriptor, IEnumerable<Transition> transitions, string path,
        Dictionary<int, List<Transition>> byEvent, List<(string Descriptor, List<Transition> Candidates)> wildcards, List<Transition> eventless)
    {
        if (descriptor.Length == 0)
        {
            eventless.AddRange(transitions); // XState v4's eventless form: on: { "": ... }
            return;
        }
        var star = descriptor.IndexOf('*');
        if (star >= 0)
        {
            var valid = descriptor == StatechartEvents.Wildcard || (star == descriptor.Length - 1 && descriptor.EndsWith(".*", StringComparison.Ordinal) && descriptor.Length > 2);
            if (!valid)
            {
                Fail(path, $"event descriptor '{descriptor}' is not valid: '*' may only stand alone or as the last token, as in 'mouse.*'");
                return;
            }
            var existing = wildcards.FindIndex(w => w.Descriptor == descriptor);
            if (existing >= 0) wildcards[existing].Candidates.AddRange(transitions);
            else wildcards.Add((descriptor, transitions.ToList()));
            return;
        }
        AddCandidates(byEvent, _events.Intern(descriptor, path), transitions);
    }

    private static void AddCandidates(Dictionary<int, List<Transition>> byEvent, int eventId, IEnumerable<Transition> transitions)
    {
        if (!byEvent.TryGetValue(eventId, out var list)) byEvent[eventId] = list = new List<Transition>();
        list.AddRange(transitions);
    }

    private void ReadAfter(StateNode node, JsonElement after, string afterPath, Dictionary<int, List<Transition>> byEvent)
    {
        var delayed = new List<DelayedTransition>();
        void Add(string delayKey, double? fixedMs, IEnumerable<Transition> transitions, string path)
        {
            var eventId = _events.Intern(StatechartEvents.After(delayKey, node.Id), path);
            AddCandidates(byEvent, eventId, transitions);
            if (delayed.Any(d => d.EventId == eventId)) return; // the same delay listed twice shares one timer
            if (fixedMs is not { } ms)
                delayed.Add(new DelayedTransition { Slot = _delaySlots++, EventId = eventId, DelayName = _delays.Intern(delayKey, path) });
            else if (ms < 0 || double.IsNaN(ms) || double.IsInfinity(ms))
                Fail(path, $"delay '{delayKey}' must be a non-negative number of milliseconds");
            else
                delayed.Add(new DelayedTransition { Slot = _delaySlots++, EventId = eventId, FixedDelay = TimeSpan.FromMilliseconds(ms) });
        }

        static double? Milliseconds(string key) =>
            double.TryParse(key, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : null;

        if (after.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in after.EnumerateObject())
            {
                var path = JsonPaths.Property(afterPath, property.Name);
                Add(property.Name, Milliseconds(property.Name), ReadTransitions(node, property.Value, path), path);
            }
        }
        else if (after.ValueKind == JsonValueKind.Array)
        {
            // XState v4's array form: [{ "delay": 1000, "target": "b" }, ...]
            var index = 0;
            foreach (var item in after.EnumerateArray())
            {
                var path = JsonPaths.Item(afterPath, index++);
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("delay", out var delay) ||
                    delay.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
                {
                    Fail(path, "each item of an 'after' array must be an object with a 'delay' (milliseconds or a delay name)");
                    continue;
                }
                var key = delay.ValueKind == JsonValueKind.Number ? delay.GetRawText() : delay.GetString()!;
                Add(key, Milliseconds(key), ReadTransition(node, item, path, ignore: "delay"), path);
            }
        }
        else
        {
            Fail(afterPath, $"'after' must be an object mapping delays to transitions, not {JsonValues.Describe(after.ValueKind)}");
        }
        node.Delayed = delayed.ToArray();
    }

    /// <summary>A transition value in any of XState's forms: a target string, null, an object, or an array of candidates.</summary>
    private IEnumerable<Transition> ReadTransitions(StateNode source, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array) return ReadTransition(source, value, path, ignore: null);
        var result = new List<Transition>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = JsonPaths.Item(path, index++);
            if (item.ValueKind == JsonValueKind.Array) Fail(itemPath, "transition candidates cannot be nested arrays");
            else result.AddRange(ReadTransition(source, item, itemPath, ignore: null));
        }
        return result;
    }

    private IEnumerable<Transition> ReadTransition(StateNode source, JsonElement value, string path, string? ignore)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return new[] { MakeTransition(source, Array.Empty<int>(), false, Array.Empty<int>(), -1, path, hasTarget: false) };
            case JsonValueKind.String:
                return TryResolveTargets(source, value, path, out var targets, out var allRelative)
                    ? new[] { MakeTransition(source, targets, allRelative, Array.Empty<int>(), -1, path, hasTarget: true) }
                    : Array.Empty<Transition>();
            case JsonValueKind.Object:
                break;
            default:
                Fail(path, $"a transition must be a target string, an object or an array, not {JsonValues.Describe(value.ValueKind)}");
                return Array.Empty<Transition>();
        }

        foreach (var property in value.EnumerateObject())
        {
            if (!TransitionKeys.Contains(property.Name) && property.Name != ignore)
                Fail(JsonPaths.Property(path, property.Name), $"unknown transition key '{property.Name}'");
        }

        var ok = true;
        var targetIndices = Array.Empty<int>();
        var relative = false;
        var hasTarget = value.TryGetProperty("target", out var target) && target.ValueKind != JsonValueKind.Null;
        if (hasTarget) ok = TryResolveTargets(source, target, JsonPaths.Property(path, "target"), out targetIndices, out relative);

        var actions = value.TryGetProperty("actions", out var actionsJson)
            ? ReadActions(actionsJson, JsonPaths.Property(path, "actions"))
            : Array.Empty<int>();

        var guard = -1;
        var hasCond = value.TryGetProperty("cond", out var cond);
        var hasGuard = value.TryGetProperty("guard", out var guardJson);
        if (hasCond && hasGuard) Fail(path, "give either 'guard' (v5) or 'cond' (v4), not both");
        else if (hasCond || hasGuard)
        {
            var guardPath = JsonPaths.Property(path, hasGuard ? "guard" : "cond");
            var name = ReadNamed(hasGuard ? guardJson : cond, guardPath, "guard");
            if (name is not null) guard = _guards.Intern(name, guardPath);
        }

        bool? isInternal = null;
        var hasInternal = value.TryGetProperty("internal", out var internalJson);
        var hasReenter = value.TryGetProperty("reenter", out var reenterJson);
        if (hasInternal && hasReenter) Fail(path, "give either 'reenter' (v5) or 'internal' (v4), not both");
        else if (hasInternal) isInternal = ReadBool(internalJson, JsonPaths.Property(path, "internal"));
        else if (hasReenter) isInternal = !ReadBool(reenterJson, JsonPaths.Property(path, "reenter"));

        if (!ok) return Array.Empty<Transition>();
        return new[] { MakeTransition(source, targetIndices, isInternal ?? relative, actions, guard, path, hasTarget) };
    }

    private Transition MakeTransition(StateNode source, int[] targets, bool isInternal, int[] actions, int guard, string path, bool hasTarget)
    {
        var transition = new Transition
        {
            Source = source.Index,
            Targets = targets,
            IsInternal = isInternal,
            Actions = actions,
            Guard = guard,
            JsonPath = path,
            TargetsHistory = targets.Any(t => _nodes[t].Kind == StateKind.History),
        };
        if (hasTarget && targets.Length > 0 && !transition.TargetsHistory)
            transition.StaticDomain = ChartGeometry.Domain(_nodeArray, transition, targets);
        return transition;
    }
}
