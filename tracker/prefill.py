"""Getting an order's tracker URL and token from a phone: the new-order page's prefill and the bookmarklet.

A phone browser has no developer tools, so two ways carry what the form needs without a desktop:

* ``/tracker/new/?url=...`` (also ``?text=`` and ``?title=``, what a share sheet sends): the form
  is prefilled with the tracker URL found there, only if it is one this stage accepts
  (``order_stages.cart_id``, the same exact rule as adding an order); anything else is refused and
  never echoed. The token never travels in a URL (it would stay in history and access logs).
* The bookmarklet (``bookmarklet(new_url)``): run on the order's own Domino's tracker page (on a
  phone: typed by its bookmark name in the address bar), it waits for the page's next status
  request (the page asks every few seconds), reads its URL and ``Authorization`` header, shows
  the token in a prompt to copy, then opens ``/tracker/new/?url=<tracker URL>``. The token is
  pasted into the form by the user, so it is never put in a URL. The server checks both as for
  any order: nothing the page or the bookmarklet sends is trusted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from tracker import order_stages

PARAMS = ("url", "text", "title")  # a share target's names (Web Share Target: title, text, url)
VALUE_MAX = 2000  # longer values are refused unread
LINK = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class Prefill:
    url: str = ""  # an acceptable tracker URL, or ""
    refused: bool = False  # something was sent, and no acceptable tracker URL was in it


def tracker_url_from(query: Mapping[str, str]) -> Prefill:
    """The first acceptable tracker URL among ``url``, ``text`` and ``title`` (a value itself, or
    a link inside a shared text)."""
    sent = False
    for name in PARAMS:
        value = query.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        sent = True
        if len(value) > VALUE_MAX:
            continue
        for candidate in [value.strip(), *LINK.findall(value)[:5]]:
            if order_stages.cart_id(candidate) is not None:
                return Prefill(url=candidate)
    return Prefill(refused=sent)


# Run in the Domino's tracker page. No "%" in it (a javascript: URL is percent-decoded).
_SOURCE = """(function(){
var NEW=__NEW__,PART="/GPSTracker/CartId/",done=false,url="";
function abs(u){try{return new URL(String(u),location.href).href}catch(e){return ""}}
function go(u,t){if(done)return;done=true;
if(t&&/^Bearer [!-~]+$/.test(t)){if(window.prompt("Pizza tracker: copy this token (select it all, Copy), then OK opens the form; paste it there.",t)===null)return}
else{window.alert("Pizza tracker: no token was seen. The form opens with the tracker URL; its help says where else to find the token.")}
location.href=NEW+"?url="+encodeURIComponent(u)}
function seen(u,t){u=abs(u);if(u.indexOf(PART)<0)return;url=u;if(t)go(u,String(t))}
function header(h){if(!h)return "";if(h.get)return h.get("Authorization")||"";if(Array.isArray(h)){for(var i=0;i<h.length;i++)if(/^authorization$/i.test(h[i][0]))return h[i][1];return ""}
for(var k in h)if(/^authorization$/i.test(k))return h[k];return ""};
(performance.getEntriesByType?performance.getEntriesByType("resource"):[]).forEach(function(e){seen(e.name,"")});
var F=window.fetch;if(F)window.fetch=function(i,o){try{seen(typeof i==="string"?i:i.url,header(o&&o.headers)||header(i&&i.headers))}catch(e){}return F.apply(this,arguments)};
var X=XMLHttpRequest.prototype,O=X.open,S=X.setRequestHeader;
X.open=function(m,u){this.pizzaUrl=u;return O.apply(this,arguments)};
X.setRequestHeader=function(k,v){try{if(/^authorization$/i.test(k))seen(this.pizzaUrl,v)}catch(e){}return S.apply(this,arguments)};
var note=document.createElement("p");note.textContent="Pizza tracker: waiting for this page's next status check...";
note.style.cssText="position:fixed;top:0;left:0;right:0;margin:0;padding:8px;background:#fff3c4;z-index:2147483647;font:16px sans-serif";
document.body.appendChild(note);
setTimeout(function(){if(done)return;if(url)return go(url,"");done=true;note.remove();
window.alert("Pizza tracker: this page asked for no order status in 30 seconds. Run it on your order's tracker page.")},30000)
})()"""


def bookmarklet(new_url: str) -> str:
    """The bookmarklet's ``javascript:`` URL, opening ``new_url`` (the absolute /tracker/new/)."""
    source = _SOURCE.replace("__NEW__", json.dumps(new_url))
    return "javascript:" + " ".join(line.strip() for line in source.splitlines())
