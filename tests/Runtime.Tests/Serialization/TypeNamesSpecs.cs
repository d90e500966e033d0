using XStateNet.Actors.Serialization;

namespace XStateNet.Actors.Tests.Serialization;

public sealed class TypeNamesSpecs
{
    [Theory]
    [InlineData("MyApp.Order, MyApp", new[] { "MyApp.Order" })]
    [InlineData("MyApp.Outer+Inner, MyApp", new[] { "MyApp.Outer+Inner" })]
    [InlineData("MyApp.Order[], MyApp", new[] { "MyApp.Order" })]
    [InlineData("System.Collections.Generic.List`1[[MyApp.Order, MyApp]], System.Private.CoreLib,%core%",
        new[] { "System.Collections.Generic.List`1", "MyApp.Order" })]
    [InlineData("System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib,%core%],[System.Collections.Generic.List`1[[Evil.Thing, Evil]], System.Private.CoreLib,%core%]], System.Private.CoreLib,%core%",
        new[] { "System.Collections.Generic.Dictionary`2", "System.String", "System.Collections.Generic.List`1", "Evil.Thing" })]
    public void Every_type_in_a_name_is_found(string name, string[] expected) =>
        Assert.Equal(expected, TypeNames.FullNamesIn(name));
}
