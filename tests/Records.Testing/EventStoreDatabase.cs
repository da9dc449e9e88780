using Npgsql;
using Records.EventStore;

namespace Records.Testing;

/// <summary>
/// A test database with the event store's schema, and data sources for the administrator and for
/// the application's own role (which may only read and append events).
/// </summary>
public class EventStoreDatabase : TestDatabase
{
    public const string AppLogin = "records_test_app";
    public const string AppPassword = "records-test-app";

    public NpgsqlDataSource Admin { get; private set; } = null!;

    public NpgsqlDataSource App { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Admin = NpgsqlDataSource.Create(AdminConnectionString);
        await EventStoreSchema.MigrateAsync(Admin);
        await EventStoreSchema.EnsureLoginRoleAsync(Admin, AppLogin, AppPassword);
        var app = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Username = AppLogin, Password = AppPassword, MaxAutoPrepare = 20 };
        App = NpgsqlDataSource.Create(app.ConnectionString);
    }

    public override async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Admin.DisposeAsync();
        await base.DisposeAsync();
    }
}
