global using NodaTime;
global using Records.Domain.Rules;
global using Records.Domain.Serialization;
