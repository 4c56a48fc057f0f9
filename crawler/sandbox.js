// The stub browser a page's inline scripts run in (crawler/scripts.py): no network, no
// timers but a queue run once, and a record of what the scripts hand to the page:
// document.write output, HTML and URLs given to elements, location, window.open,
// jQuery/avalon/require calls. Names the stub does not know resolve to a recording stub
// instead of a ReferenceError, so a script that calls the site's own library goes on.
var __out = { written: [], values: [], errors: [] };
var __later = [];
var __LIMIT = 20000;

function __label(obj) {
  // the name an attachment object gives itself: name, title, fileName, qzbFileName, docTitle …
  try {
    for (var k in obj) {
      if (!/name|title|text|desc|alt/i.test(k)) continue;
      var v = obj[k];
      if (typeof v === "string" && v) return v;
    }
  } catch (e) { /* a getter that throws */ }
  return "";
}

function __rec(v, label, depth) {
  depth = depth || 0;
  if (__out.values.length >= __LIMIT || depth > 5 || v === null || v === undefined) return;
  if (typeof v === "string") {
    if (v.length <= 100000) __out.values.push([label || "", v]);
    return;
  }
  if (typeof v !== "object" || v.__isStub) return;
  if (Array.isArray(v)) {
    for (var i = 0; i < v.length && i < 1000; i++) __rec(v[i], label, depth + 1);
    return;
  }
  var own = __label(v) || label;
  for (var k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    var x;
    try { x = v[k]; } catch (e) { continue; }
    if (typeof x === "function") continue;
    __rec(x, own, depth + 1);
  }
}

function __defer(fn) {
  if (typeof fn === "function" && !fn.__isStub && __later.length < 200) __later.push(fn);
}

function __stub(path) {
  var props = {};
  var target = function () {};
  var proxy = new Proxy(target, {
    get: function (t, k) {
      if (k === Symbol.toPrimitive) return function () { return ""; };
      if (typeof k === "symbol") return undefined;
      if (k === "__isStub") return true;
      if (k === "then") return undefined;  // never a thenable
      if (k === "length") return 0;
      if (k === "toString" || k === "valueOf") return function () { return ""; };
      if (Object.prototype.hasOwnProperty.call(props, k)) return props[k];
      return __stub(path + "." + k);
    },
    set: function (t, k, v) {
      props[k] = v;
      if ((k === "innerHTML" || k === "outerHTML") && typeof v === "string") __out.written.push(v);
      else __rec(v, String(k));
      return true;
    },
    has: function () { return true; },
    apply: function (t, self, args) {
      for (var i = 0; i < args.length; i++) {
        if (typeof args[i] === "function") __defer(args[i]);
        else __rec(args[i], "");
      }
      return __stub(path + "()");
    },
    construct: function (t, args) {
      for (var i = 0; i < args.length; i++) __rec(args[i], "");
      return __stub("new " + path);
    }
  });
  return proxy;
}

var window = globalThis;
var self = globalThis;
var top = globalThis;
var parent = globalThis;
var frames = globalThis;

var location = (function () {
  var u = __PAGE;
  var m = /^([a-z][a-z0-9+.-]*:)\/\/([^\/?#:]*)(:\d+)?([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(u) || [];
  var real = {
    href: u, protocol: m[1] || "http:", hostname: m[2] || "", port: (m[3] || "").slice(1),
    pathname: m[4] || "/", search: m[5] || "", hash: m[6] || ""
  };
  real.host = real.hostname + (real.port ? ":" + real.port : "");
  real.origin = real.protocol + "//" + real.host;
  real.toString = function () { return u; };
  real.assign = function (x) { __rec(x, "location"); };
  real.replace = function (x) { __rec(x, "location"); };
  real.reload = function () {};
  return new Proxy(real, {
    set: function (t, k, v) { __rec(v, "location"); return true; }
  });
})();

var document = {
  write: function () { for (var i = 0; i < arguments.length; i++) __out.written.push(String(arguments[i])); },
  writeln: function () { for (var i = 0; i < arguments.length; i++) __out.written.push(String(arguments[i]) + "\n"); },
  location: location,
  URL: __PAGE,
  referrer: "",
  cookie: "",
  title: "",
  readyState: "complete",
  domain: location.hostname,
  body: __stub("document.body"),
  head: __stub("document.head"),
  documentElement: __stub("document.documentElement"),
  getElementById: function (id) { return __stub("#" + id); },
  querySelector: function (s) { return __stub(s); },
  querySelectorAll: function () { return []; },
  getElementsByTagName: function () { return []; },
  getElementsByClassName: function () { return []; },
  getElementsByName: function () { return []; },
  createElement: function (t) { return __stub("<" + t + ">"); },
  createTextNode: function (t) { return __stub("text"); },
  addEventListener: function (e, fn) { __defer(fn); },
  attachEvent: function (e, fn) { __defer(fn); }
};

var navigator = { userAgent: "Mozilla/5.0 (X11; Linux x86_64) nianbao", language: "zh-CN", platform: "Linux",
                  appName: "Netscape", appVersion: "5.0", cookieEnabled: true };
var screen = { width: 1920, height: 1080, availWidth: 1920, availHeight: 1080 };
var history = { length: 1, back: function () {}, go: function () {}, pushState: function () {} };
var localStorage = { getItem: function () { return null; }, setItem: function () {}, removeItem: function () {} };
var sessionStorage = localStorage;
var console = { log: function () {}, warn: function () {}, error: function () {}, info: function () {} };

function setTimeout(fn) { __defer(fn); return __later.length; }
function setInterval(fn) { __defer(fn); return __later.length; }
function clearTimeout() {}
function clearInterval() {}
function alert() {}
function confirm() { return false; }
function prompt() { return null; }
function addEventListener(e, fn) { __defer(fn); }
function open(u) { __rec(u, "window.open"); return __stub("window"); }
function escape(s) { return encodeURIComponent(s); }
function unescape(s) { try { return decodeURIComponent(s); } catch (e) { return s; } }

// jQuery: $(fn) runs later, $.each iterates for real; the rest records what it is given
var jQuery = (function () {
  var stub = __stub("$");
  var real = function (a) {
    if (typeof a === "function") { __defer(a); return stub; }
    if (typeof a === "string" && a.indexOf("<") >= 0) __out.written.push(a);
    return stub;
  };
  real.each = function (obj, fn) {
    if (!obj || typeof fn !== "function") return obj;
    if (typeof obj.length === "number") { for (var i = 0; i < obj.length && i < 1000; i++) fn.call(obj[i], i, obj[i]); }
    else { for (var k in obj) if (Object.prototype.hasOwnProperty.call(obj, k)) fn.call(obj[k], k, obj[k]); }
    return obj;
  };
  real.extend = function (a) {
    for (var i = 1; i < arguments.length; i++) for (var k in arguments[i]) a[k] = arguments[i][k];
    return a;
  };
  real.trim = function (s) { return String(s).trim(); };
  real.isArray = Array.isArray;
  return new Proxy(real, {
    get: function (t, k) { return k in t ? t[k] : stub[k]; }
  });
})();
var $ = jQuery;

// AMD loaders and view-model libraries of CMS templates (require.js, avalon, Vue)
function require(deps, fn) {
  if (typeof deps === "function") fn = deps;
  if (typeof fn === "function") {
    var args = [];
    var n = Array.isArray(deps) ? deps.length : 0;
    for (var i = 0; i < n; i++) args.push(deps[i] === "jquery" ? jQuery : __stub(String(deps[i])));
    try { fn.apply(null, args); } catch (e) { __out.errors.push(String(e)); }
  }
  return __stub("require()");
}
require.config = function () {};
var define = function () { for (var i = 0; i < arguments.length; i++) if (typeof arguments[i] === "function") __defer(arguments[i]); };
var avalon = new Proxy(function () {}, {
  get: function (t, k) {
    if (k === "define") return function (vm) { __rec(vm, ""); return vm; };
    if (k === "vmodels") return {};
    return __stub("avalon." + String(k));
  }
});

var __scope = new Proxy({}, {
  has: function (t, k) { return typeof k === "string" && !(k in globalThis); },
  get: function (t, k) { return k === Symbol.unscopables ? undefined : __stub(String(k)); },
  set: function (t, k, v) { globalThis[k] = v; return true; }
});

function __run_later() {
  for (var i = 0; i < __later.length && i < 200; i++) {
    try { __later[i].call(globalThis, __stub("event"), __stub("arg")); } catch (e) { __out.errors.push(String(e)); }
  }
}
