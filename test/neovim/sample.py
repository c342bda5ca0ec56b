import asyncio


async def handler(rows):
    loop = asyncio.get_event_loop()
    for row in rows:
        import json
        print(json.dumps(row), loop)
