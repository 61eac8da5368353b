"""The comparison: a minimal Mangum + FastAPI app answering the same API Gateway v1 event.

Copied beside nothing but the bench virtualenv's site-packages by bench/cold_start.py.
"""

from fastapi import FastAPI, Header
from mangum import Mangum

app = FastAPI()


@app.get("/api/routines/")
def routines(authorization: str = Header(default="")):
    return {"count": 1, "next": None, "previous": None, "results": [{"id": 1, "name": "Morning"}]}


handler = Mangum(app, lifespan="off")


@app.get("/api/")
def hello():
    return {"message": "Hello World"}
