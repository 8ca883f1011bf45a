-- A SQL Server schema and its stored procedures.
CREATE TABLE [dbo].[Customer] (
    [CustomerId] INT IDENTITY(1,1) NOT NULL,
    [Email] NVARCHAR(200) NOT NULL,
    [Password] NVARCHAR(100) NOT NULL,
    [CreatedAt] DATETIME NOT NULL,
    CONSTRAINT [PK_Customer] PRIMARY KEY CLUSTERED ([CustomerId])
);
GO
CREATE TABLE [dbo].[Invoice] (
    [InvoiceId] INT IDENTITY(1,1) NOT NULL,
    [CustomerId] INT NOT NULL,
    [Total] MONEY NOT NULL,
    CONSTRAINT [PK_Invoice] PRIMARY KEY CLUSTERED ([InvoiceId]),
    CONSTRAINT [FK_Invoice_Customer] FOREIGN KEY ([CustomerId]) REFERENCES [dbo].[Customer] ([CustomerId])
);
GO
CREATE PROCEDURE [dbo].[sp_GetInvoices] @CustomerId INT
AS
BEGIN
    SELECT * FROM [dbo].[Invoice] WITH (NOLOCK) WHERE [CustomerId] = @CustomerId;
END
GO
CREATE PROCEDURE [dbo].[SearchCustomers] @Filter NVARCHAR(400)
AS
BEGIN
    DECLARE @sql NVARCHAR(MAX) = N'SELECT [CustomerId], [Email] FROM [dbo].[Customer] WHERE ' + @Filter;
    EXEC (@sql);
END
GO
