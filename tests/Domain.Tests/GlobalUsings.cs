global using NodaTime;
global using Records.Domain.Rules;
global using Records.Domain.Tests.Support;
global using static Records.Domain.Tests.Support.World;
