"""An MCP client built on the official Python SDK, driven by tests/mcp/clients.rs.

usage: client.py stdio STEWARD CONNINFO
       client.py http URL [TOKEN]

Initialises, lists the tools, calls each one against the test database, and prints one JSON
object with what came back. Exits non-zero on any protocol failure.
"""

import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

CALLS = [
    ("list_schemas", {}),
    ("describe_schema", {"schema": "public"}),
    ("describe_table", {"table": "public.accounts"}),
    ("lint_sql", {"sql": "SELECT * FROM accounts WHERE lower(email) = 'x';", "dialect": "postgres"}),
    ("audit_database", {"category": "integrity"}),
    ("explain_query", {"sql": "SELECT * FROM accounts WHERE id = 1"}),
    ("privacy_inventory", {}),
    ("run_readonly_query", {"sql": "SELECT id, owner, balance FROM accounts ORDER BY id LIMIT 3"}),
    ("run_readonly_query", {"sql": "SELECT pg_read_file('/etc/hostname')"}),
    ("run_readonly_query", {"sql": "COMMIT; DROP TABLE accounts"}),
    ("run_readonly_query", {"sql": "SELECT 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'::int"}),
]


async def exercise(session):
    init = await session.initialize()
    tools = await session.list_tools()
    out = {
        "server": init.server_info.name,
        "tools": sorted(t.name for t in tools.tools),
        "schemas_ok": all(isinstance(t.input_schema, dict) for t in tools.tools),
        "read_only_hints": sorted(
            t.name for t in tools.tools if t.annotations and t.annotations.read_only_hint
        ),
        "calls": [],
    }
    for name, args in CALLS:
        result = await session.call_tool(name, args)
        texts = [c.text for c in result.content if getattr(c, "type", "") == "text"]
        out["calls"].append(
            {
                "tool": name,
                "is_error": result.is_error,
                "summary": texts[0] if texts else None,
                "structured": result.structured_content,
            }
        )
    return out


async def main():
    mode = sys.argv[1]
    if mode == "stdio":
        params = StdioServerParameters(command=sys.argv[2], args=["mcp", sys.argv[3]])
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                out = await exercise(session)
    else:
        headers = {"Authorization": f"Bearer {sys.argv[3]}"} if len(sys.argv) > 3 else None
        async with create_mcp_http_client(headers=headers) as http:
            async with streamable_http_client(sys.argv[2], http_client=http) as (read, write):
                async with ClientSession(read, write) as session:
                    out = await exercise(session)
    print(json.dumps(out))


asyncio.run(main())
