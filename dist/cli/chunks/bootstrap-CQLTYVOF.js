import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  BETA9_CHART,
  BETA9_NAMESPACE,
  BETA9_RELEASE,
  BootstrapError,
  CERT_MANAGER,
  CLUSTER_ISSUER,
  beta9Values,
  certManagerValues,
  clusterIssuer,
  ingressController,
  nullReporter,
  storageClassFor,
  systemClock
} from "./chunk-LGE66P66.js";
import {
  require_dist_cjs as require_dist_cjs2
} from "./chunk-A5EG6M2Z.js";
import {
  require_dist_cjs as require_dist_cjs3
} from "./chunk-CCJS6O6W.js";
import {
  require_dist_cjs
} from "./chunk-EB4GIYBT.js";
import "./chunk-ZUMQYZVC.js";
import {
  __commonJS,
  __esm,
  __export,
  __require,
  __toCommonJS,
  __toESM
} from "./chunk-LRYD2BFO.js";

// node_modules/tslib/tslib.es6.mjs
var tslib_es6_exports = {};
__export(tslib_es6_exports, {
  __addDisposableResource: () => __addDisposableResource,
  __assign: () => __assign,
  __asyncDelegator: () => __asyncDelegator,
  __asyncGenerator: () => __asyncGenerator,
  __asyncValues: () => __asyncValues,
  __await: () => __await,
  __awaiter: () => __awaiter,
  __classPrivateFieldGet: () => __classPrivateFieldGet,
  __classPrivateFieldIn: () => __classPrivateFieldIn,
  __classPrivateFieldSet: () => __classPrivateFieldSet,
  __createBinding: () => __createBinding,
  __decorate: () => __decorate,
  __disposeResources: () => __disposeResources,
  __esDecorate: () => __esDecorate,
  __exportStar: () => __exportStar,
  __extends: () => __extends,
  __generator: () => __generator,
  __importDefault: () => __importDefault,
  __importStar: () => __importStar,
  __makeTemplateObject: () => __makeTemplateObject,
  __metadata: () => __metadata,
  __param: () => __param,
  __propKey: () => __propKey,
  __read: () => __read,
  __rest: () => __rest,
  __rewriteRelativeImportExtension: () => __rewriteRelativeImportExtension,
  __runInitializers: () => __runInitializers,
  __setFunctionName: () => __setFunctionName,
  __spread: () => __spread,
  __spreadArray: () => __spreadArray,
  __spreadArrays: () => __spreadArrays,
  __values: () => __values,
  default: () => tslib_es6_default
});
function __extends(d, b) {
  if (typeof b !== "function" && b !== null)
    throw new TypeError("Class extends value " + String(b) + " is not a constructor or null");
  extendStatics(d, b);
  function __() {
    this.constructor = d;
  }
  d.prototype = b === null ? Object.create(b) : (__.prototype = b.prototype, new __());
}
function __rest(s, e) {
  var t = {};
  for (var p in s) if (Object.prototype.hasOwnProperty.call(s, p) && e.indexOf(p) < 0)
    t[p] = s[p];
  if (s != null && typeof Object.getOwnPropertySymbols === "function")
    for (var i = 0, p = Object.getOwnPropertySymbols(s); i < p.length; i++) {
      if (e.indexOf(p[i]) < 0 && Object.prototype.propertyIsEnumerable.call(s, p[i]))
        t[p[i]] = s[p[i]];
    }
  return t;
}
function __decorate(decorators, target, key, desc) {
  var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
  if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
  else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
  return c > 3 && r && Object.defineProperty(target, key, r), r;
}
function __param(paramIndex, decorator) {
  return function(target, key) {
    decorator(target, key, paramIndex);
  };
}
function __esDecorate(ctor, descriptorIn, decorators, contextIn, initializers, extraInitializers) {
  function accept(f) {
    if (f !== void 0 && typeof f !== "function") throw new TypeError("Function expected");
    return f;
  }
  var kind = contextIn.kind, key = kind === "getter" ? "get" : kind === "setter" ? "set" : "value";
  var target = !descriptorIn && ctor ? contextIn["static"] ? ctor : ctor.prototype : null;
  var descriptor = descriptorIn || (target ? Object.getOwnPropertyDescriptor(target, contextIn.name) : {});
  var _, done = false;
  for (var i = decorators.length - 1; i >= 0; i--) {
    var context = {};
    for (var p in contextIn) context[p] = p === "access" ? {} : contextIn[p];
    for (var p in contextIn.access) context.access[p] = contextIn.access[p];
    context.addInitializer = function(f) {
      if (done) throw new TypeError("Cannot add initializers after decoration has completed");
      extraInitializers.push(accept(f || null));
    };
    var result = (0, decorators[i])(kind === "accessor" ? { get: descriptor.get, set: descriptor.set } : descriptor[key], context);
    if (kind === "accessor") {
      if (result === void 0) continue;
      if (result === null || typeof result !== "object") throw new TypeError("Object expected");
      if (_ = accept(result.get)) descriptor.get = _;
      if (_ = accept(result.set)) descriptor.set = _;
      if (_ = accept(result.init)) initializers.unshift(_);
    } else if (_ = accept(result)) {
      if (kind === "field") initializers.unshift(_);
      else descriptor[key] = _;
    }
  }
  if (target) Object.defineProperty(target, contextIn.name, descriptor);
  done = true;
}
function __runInitializers(thisArg, initializers, value) {
  var useValue = arguments.length > 2;
  for (var i = 0; i < initializers.length; i++) {
    value = useValue ? initializers[i].call(thisArg, value) : initializers[i].call(thisArg);
  }
  return useValue ? value : void 0;
}
function __propKey(x) {
  return typeof x === "symbol" ? x : "".concat(x);
}
function __setFunctionName(f, name, prefix) {
  if (typeof name === "symbol") name = name.description ? "[".concat(name.description, "]") : "";
  return Object.defineProperty(f, "name", { configurable: true, value: prefix ? "".concat(prefix, " ", name) : name });
}
function __metadata(metadataKey, metadataValue) {
  if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(metadataKey, metadataValue);
}
function __awaiter(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
}
function __generator(thisArg, body) {
  var _ = { label: 0, sent: function() {
    if (t[0] & 1) throw t[1];
    return t[1];
  }, trys: [], ops: [] }, f, y, t, g = Object.create((typeof Iterator === "function" ? Iterator : Object).prototype);
  return g.next = verb(0), g["throw"] = verb(1), g["return"] = verb(2), typeof Symbol === "function" && (g[Symbol.iterator] = function() {
    return this;
  }), g;
  function verb(n) {
    return function(v) {
      return step([n, v]);
    };
  }
  function step(op) {
    if (f) throw new TypeError("Generator is already executing.");
    while (g && (g = 0, op[0] && (_ = 0)), _) try {
      if (f = 1, y && (t = op[0] & 2 ? y["return"] : op[0] ? y["throw"] || ((t = y["return"]) && t.call(y), 0) : y.next) && !(t = t.call(y, op[1])).done) return t;
      if (y = 0, t) op = [op[0] & 2, t.value];
      switch (op[0]) {
        case 0:
        case 1:
          t = op;
          break;
        case 4:
          _.label++;
          return { value: op[1], done: false };
        case 5:
          _.label++;
          y = op[1];
          op = [0];
          continue;
        case 7:
          op = _.ops.pop();
          _.trys.pop();
          continue;
        default:
          if (!(t = _.trys, t = t.length > 0 && t[t.length - 1]) && (op[0] === 6 || op[0] === 2)) {
            _ = 0;
            continue;
          }
          if (op[0] === 3 && (!t || op[1] > t[0] && op[1] < t[3])) {
            _.label = op[1];
            break;
          }
          if (op[0] === 6 && _.label < t[1]) {
            _.label = t[1];
            t = op;
            break;
          }
          if (t && _.label < t[2]) {
            _.label = t[2];
            _.ops.push(op);
            break;
          }
          if (t[2]) _.ops.pop();
          _.trys.pop();
          continue;
      }
      op = body.call(thisArg, _);
    } catch (e) {
      op = [6, e];
      y = 0;
    } finally {
      f = t = 0;
    }
    if (op[0] & 5) throw op[1];
    return { value: op[0] ? op[1] : void 0, done: true };
  }
}
function __exportStar(m, o) {
  for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(o, p)) __createBinding(o, m, p);
}
function __values(o) {
  var s = typeof Symbol === "function" && Symbol.iterator, m = s && o[s], i = 0;
  if (m) return m.call(o);
  if (o && typeof o.length === "number") return {
    next: function() {
      if (o && i >= o.length) o = void 0;
      return { value: o && o[i++], done: !o };
    }
  };
  throw new TypeError(s ? "Object is not iterable." : "Symbol.iterator is not defined.");
}
function __read(o, n) {
  var m = typeof Symbol === "function" && o[Symbol.iterator];
  if (!m) return o;
  var i = m.call(o), r, ar = [], e;
  try {
    while ((n === void 0 || n-- > 0) && !(r = i.next()).done) ar.push(r.value);
  } catch (error) {
    e = { error };
  } finally {
    try {
      if (r && !r.done && (m = i["return"])) m.call(i);
    } finally {
      if (e) throw e.error;
    }
  }
  return ar;
}
function __spread() {
  for (var ar = [], i = 0; i < arguments.length; i++)
    ar = ar.concat(__read(arguments[i]));
  return ar;
}
function __spreadArrays() {
  for (var s = 0, i = 0, il = arguments.length; i < il; i++) s += arguments[i].length;
  for (var r = Array(s), k = 0, i = 0; i < il; i++)
    for (var a = arguments[i], j = 0, jl = a.length; j < jl; j++, k++)
      r[k] = a[j];
  return r;
}
function __spreadArray(to, from, pack) {
  if (pack || arguments.length === 2) for (var i = 0, l = from.length, ar; i < l; i++) {
    if (ar || !(i in from)) {
      if (!ar) ar = Array.prototype.slice.call(from, 0, i);
      ar[i] = from[i];
    }
  }
  return to.concat(ar || Array.prototype.slice.call(from));
}
function __await(v) {
  return this instanceof __await ? (this.v = v, this) : new __await(v);
}
function __asyncGenerator(thisArg, _arguments, generator) {
  if (!Symbol.asyncIterator) throw new TypeError("Symbol.asyncIterator is not defined.");
  var g = generator.apply(thisArg, _arguments || []), i, q = [];
  return i = Object.create((typeof AsyncIterator === "function" ? AsyncIterator : Object).prototype), verb("next"), verb("throw"), verb("return", awaitReturn), i[Symbol.asyncIterator] = function() {
    return this;
  }, i;
  function awaitReturn(f) {
    return function(v) {
      return Promise.resolve(v).then(f, reject);
    };
  }
  function verb(n, f) {
    if (g[n]) {
      i[n] = function(v) {
        return new Promise(function(a, b) {
          q.push([n, v, a, b]) > 1 || resume(n, v);
        });
      };
      if (f) i[n] = f(i[n]);
    }
  }
  function resume(n, v) {
    try {
      step(g[n](v));
    } catch (e) {
      settle(q[0][3], e);
    }
  }
  function step(r) {
    r.value instanceof __await ? Promise.resolve(r.value.v).then(fulfill, reject) : settle(q[0][2], r);
  }
  function fulfill(value) {
    resume("next", value);
  }
  function reject(value) {
    resume("throw", value);
  }
  function settle(f, v) {
    if (f(v), q.shift(), q.length) resume(q[0][0], q[0][1]);
  }
}
function __asyncDelegator(o) {
  var i, p;
  return i = {}, verb("next"), verb("throw", function(e) {
    throw e;
  }), verb("return"), i[Symbol.iterator] = function() {
    return this;
  }, i;
  function verb(n, f) {
    i[n] = o[n] ? function(v) {
      return (p = !p) ? { value: __await(o[n](v)), done: false } : f ? f(v) : v;
    } : f;
  }
}
function __asyncValues(o) {
  if (!Symbol.asyncIterator) throw new TypeError("Symbol.asyncIterator is not defined.");
  var m = o[Symbol.asyncIterator], i;
  return m ? m.call(o) : (o = typeof __values === "function" ? __values(o) : o[Symbol.iterator](), i = {}, verb("next"), verb("throw"), verb("return"), i[Symbol.asyncIterator] = function() {
    return this;
  }, i);
  function verb(n) {
    i[n] = o[n] && function(v) {
      return new Promise(function(resolve, reject) {
        v = o[n](v), settle(resolve, reject, v.done, v.value);
      });
    };
  }
  function settle(resolve, reject, d, v) {
    Promise.resolve(v).then(function(v2) {
      resolve({ value: v2, done: d });
    }, reject);
  }
}
function __makeTemplateObject(cooked, raw) {
  if (Object.defineProperty) {
    Object.defineProperty(cooked, "raw", { value: raw });
  } else {
    cooked.raw = raw;
  }
  return cooked;
}
function __importStar(mod) {
  if (mod && mod.__esModule) return mod;
  var result = {};
  if (mod != null) {
    for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
  }
  __setModuleDefault(result, mod);
  return result;
}
function __importDefault(mod) {
  return mod && mod.__esModule ? mod : { default: mod };
}
function __classPrivateFieldGet(receiver, state, kind, f) {
  if (kind === "a" && !f) throw new TypeError("Private accessor was defined without a getter");
  if (typeof state === "function" ? receiver !== state || !f : !state.has(receiver)) throw new TypeError("Cannot read private member from an object whose class did not declare it");
  return kind === "m" ? f : kind === "a" ? f.call(receiver) : f ? f.value : state.get(receiver);
}
function __classPrivateFieldSet(receiver, state, value, kind, f) {
  if (kind === "m") throw new TypeError("Private method is not writable");
  if (kind === "a" && !f) throw new TypeError("Private accessor was defined without a setter");
  if (typeof state === "function" ? receiver !== state || !f : !state.has(receiver)) throw new TypeError("Cannot write private member to an object whose class did not declare it");
  return kind === "a" ? f.call(receiver, value) : f ? f.value = value : state.set(receiver, value), value;
}
function __classPrivateFieldIn(state, receiver) {
  if (receiver === null || typeof receiver !== "object" && typeof receiver !== "function") throw new TypeError("Cannot use 'in' operator on non-object");
  return typeof state === "function" ? receiver === state : state.has(receiver);
}
function __addDisposableResource(env, value, async) {
  if (value !== null && value !== void 0) {
    if (typeof value !== "object" && typeof value !== "function") throw new TypeError("Object expected.");
    var dispose, inner;
    if (async) {
      if (!Symbol.asyncDispose) throw new TypeError("Symbol.asyncDispose is not defined.");
      dispose = value[Symbol.asyncDispose];
    }
    if (dispose === void 0) {
      if (!Symbol.dispose) throw new TypeError("Symbol.dispose is not defined.");
      dispose = value[Symbol.dispose];
      if (async) inner = dispose;
    }
    if (typeof dispose !== "function") throw new TypeError("Object not disposable.");
    if (inner) dispose = function() {
      try {
        inner.call(this);
      } catch (e) {
        return Promise.reject(e);
      }
    };
    env.stack.push({ value, dispose, async });
  } else if (async) {
    env.stack.push({ async: true });
  }
  return value;
}
function __disposeResources(env) {
  function fail(e) {
    env.error = env.hasError ? new _SuppressedError(e, env.error, "An error was suppressed during disposal.") : e;
    env.hasError = true;
  }
  var r, s = 0;
  function next() {
    while (r = env.stack.pop()) {
      try {
        if (!r.async && s === 1) return s = 0, env.stack.push(r), Promise.resolve().then(next);
        if (r.dispose) {
          var result = r.dispose.call(r.value);
          if (r.async) return s |= 2, Promise.resolve(result).then(next, function(e) {
            fail(e);
            return next();
          });
        } else s |= 1;
      } catch (e) {
        fail(e);
      }
    }
    if (s === 1) return env.hasError ? Promise.reject(env.error) : Promise.resolve();
    if (env.hasError) throw env.error;
  }
  return next();
}
function __rewriteRelativeImportExtension(path, preserveJsx, extraExtensions, ignoreCase) {
  if (typeof path === "string" && /^\.\.?\//.test(path)) {
    if (extraExtensions) {
      for (var extension in extraExtensions) {
        var suffix = path.slice(-extension.length);
        if (suffix === extension || ignoreCase && suffix.toLowerCase() === extension.toLowerCase()) {
          var output = extraExtensions[extension];
          return output === extension ? path : path.slice(0, -extension.length) + output;
        }
      }
    }
    return path.replace(/\.(tsx)$|((?:\.d)?)((?:\.[^./]+?)?)\.([cm]?)ts$/i, function(m, tsx, d, ext, cm) {
      return tsx ? preserveJsx ? ".jsx" : ".js" : d && (!ext || !cm) ? m : d + ext + "." + cm.toLowerCase() + "js";
    });
  }
  return path;
}
var extendStatics, __assign, __createBinding, __setModuleDefault, ownKeys, _SuppressedError, tslib_es6_default;
var init_tslib_es6 = __esm({
  "node_modules/tslib/tslib.es6.mjs"() {
    extendStatics = function(d, b) {
      extendStatics = Object.setPrototypeOf || { __proto__: [] } instanceof Array && function(d2, b2) {
        d2.__proto__ = b2;
      } || function(d2, b2) {
        for (var p in b2) if (Object.prototype.hasOwnProperty.call(b2, p)) d2[p] = b2[p];
      };
      return extendStatics(d, b);
    };
    __assign = function() {
      __assign = Object.assign || function __assign2(t) {
        for (var s, i = 1, n = arguments.length; i < n; i++) {
          s = arguments[i];
          for (var p in s) if (Object.prototype.hasOwnProperty.call(s, p)) t[p] = s[p];
        }
        return t;
      };
      return __assign.apply(this, arguments);
    };
    __createBinding = Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    });
    __setModuleDefault = Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    };
    ownKeys = function(o) {
      ownKeys = Object.getOwnPropertyNames || function(o2) {
        var ar = [];
        for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
        return ar;
      };
      return ownKeys(o);
    };
    _SuppressedError = typeof SuppressedError === "function" ? SuppressedError : function(error, suppressed, message) {
      var e = new Error(message);
      return e.name = "SuppressedError", e.error = error, e.suppressed = suppressed, e;
    };
    tslib_es6_default = {
      __extends,
      __assign,
      __rest,
      __decorate,
      __param,
      __esDecorate,
      __runInitializers,
      __propKey,
      __setFunctionName,
      __metadata,
      __awaiter,
      __generator,
      __createBinding,
      __exportStar,
      __values,
      __read,
      __spread,
      __spreadArrays,
      __spreadArray,
      __await,
      __asyncGenerator,
      __asyncDelegator,
      __asyncValues,
      __makeTemplateObject,
      __importStar,
      __importDefault,
      __classPrivateFieldGet,
      __classPrivateFieldSet,
      __classPrivateFieldIn,
      __addDisposableResource,
      __disposeResources,
      __rewriteRelativeImportExtension
    };
  }
});

// node_modules/@aws-crypto/sha256-js/build/main/constants.js
var require_constants = __commonJS({
  "node_modules/@aws-crypto/sha256-js/build/main/constants.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.MAX_HASHABLE_LENGTH = exports.INIT = exports.KEY = exports.DIGEST_LENGTH = exports.BLOCK_SIZE = void 0;
    exports.BLOCK_SIZE = 64;
    exports.DIGEST_LENGTH = 32;
    exports.KEY = new Uint32Array([
      1116352408,
      1899447441,
      3049323471,
      3921009573,
      961987163,
      1508970993,
      2453635748,
      2870763221,
      3624381080,
      310598401,
      607225278,
      1426881987,
      1925078388,
      2162078206,
      2614888103,
      3248222580,
      3835390401,
      4022224774,
      264347078,
      604807628,
      770255983,
      1249150122,
      1555081692,
      1996064986,
      2554220882,
      2821834349,
      2952996808,
      3210313671,
      3336571891,
      3584528711,
      113926993,
      338241895,
      666307205,
      773529912,
      1294757372,
      1396182291,
      1695183700,
      1986661051,
      2177026350,
      2456956037,
      2730485921,
      2820302411,
      3259730800,
      3345764771,
      3516065817,
      3600352804,
      4094571909,
      275423344,
      430227734,
      506948616,
      659060556,
      883997877,
      958139571,
      1322822218,
      1537002063,
      1747873779,
      1955562222,
      2024104815,
      2227730452,
      2361852424,
      2428436474,
      2756734187,
      3204031479,
      3329325298
    ]);
    exports.INIT = [
      1779033703,
      3144134277,
      1013904242,
      2773480762,
      1359893119,
      2600822924,
      528734635,
      1541459225
    ];
    exports.MAX_HASHABLE_LENGTH = Math.pow(2, 53) - 1;
  }
});

// node_modules/@aws-crypto/sha256-js/build/main/RawSha256.js
var require_RawSha256 = __commonJS({
  "node_modules/@aws-crypto/sha256-js/build/main/RawSha256.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.RawSha256 = void 0;
    var constants_1 = require_constants();
    var RawSha256 = (
      /** @class */
      (function() {
        function RawSha2562() {
          this.state = Int32Array.from(constants_1.INIT);
          this.temp = new Int32Array(64);
          this.buffer = new Uint8Array(64);
          this.bufferLength = 0;
          this.bytesHashed = 0;
          this.finished = false;
        }
        RawSha2562.prototype.update = function(data) {
          if (this.finished) {
            throw new Error("Attempted to update an already finished hash.");
          }
          var position = 0;
          var byteLength = data.byteLength;
          this.bytesHashed += byteLength;
          if (this.bytesHashed * 8 > constants_1.MAX_HASHABLE_LENGTH) {
            throw new Error("Cannot hash more than 2^53 - 1 bits");
          }
          while (byteLength > 0) {
            this.buffer[this.bufferLength++] = data[position++];
            byteLength--;
            if (this.bufferLength === constants_1.BLOCK_SIZE) {
              this.hashBuffer();
              this.bufferLength = 0;
            }
          }
        };
        RawSha2562.prototype.digest = function() {
          if (!this.finished) {
            var bitsHashed = this.bytesHashed * 8;
            var bufferView = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
            var undecoratedLength = this.bufferLength;
            bufferView.setUint8(this.bufferLength++, 128);
            if (undecoratedLength % constants_1.BLOCK_SIZE >= constants_1.BLOCK_SIZE - 8) {
              for (var i = this.bufferLength; i < constants_1.BLOCK_SIZE; i++) {
                bufferView.setUint8(i, 0);
              }
              this.hashBuffer();
              this.bufferLength = 0;
            }
            for (var i = this.bufferLength; i < constants_1.BLOCK_SIZE - 8; i++) {
              bufferView.setUint8(i, 0);
            }
            bufferView.setUint32(constants_1.BLOCK_SIZE - 8, Math.floor(bitsHashed / 4294967296), true);
            bufferView.setUint32(constants_1.BLOCK_SIZE - 4, bitsHashed);
            this.hashBuffer();
            this.finished = true;
          }
          var out = new Uint8Array(constants_1.DIGEST_LENGTH);
          for (var i = 0; i < 8; i++) {
            out[i * 4] = this.state[i] >>> 24 & 255;
            out[i * 4 + 1] = this.state[i] >>> 16 & 255;
            out[i * 4 + 2] = this.state[i] >>> 8 & 255;
            out[i * 4 + 3] = this.state[i] >>> 0 & 255;
          }
          return out;
        };
        RawSha2562.prototype.hashBuffer = function() {
          var _a = this, buffer = _a.buffer, state = _a.state;
          var state0 = state[0], state1 = state[1], state2 = state[2], state3 = state[3], state4 = state[4], state5 = state[5], state6 = state[6], state7 = state[7];
          for (var i = 0; i < constants_1.BLOCK_SIZE; i++) {
            if (i < 16) {
              this.temp[i] = (buffer[i * 4] & 255) << 24 | (buffer[i * 4 + 1] & 255) << 16 | (buffer[i * 4 + 2] & 255) << 8 | buffer[i * 4 + 3] & 255;
            } else {
              var u = this.temp[i - 2];
              var t1_1 = (u >>> 17 | u << 15) ^ (u >>> 19 | u << 13) ^ u >>> 10;
              u = this.temp[i - 15];
              var t2_1 = (u >>> 7 | u << 25) ^ (u >>> 18 | u << 14) ^ u >>> 3;
              this.temp[i] = (t1_1 + this.temp[i - 7] | 0) + (t2_1 + this.temp[i - 16] | 0);
            }
            var t1 = (((state4 >>> 6 | state4 << 26) ^ (state4 >>> 11 | state4 << 21) ^ (state4 >>> 25 | state4 << 7)) + (state4 & state5 ^ ~state4 & state6) | 0) + (state7 + (constants_1.KEY[i] + this.temp[i] | 0) | 0) | 0;
            var t2 = ((state0 >>> 2 | state0 << 30) ^ (state0 >>> 13 | state0 << 19) ^ (state0 >>> 22 | state0 << 10)) + (state0 & state1 ^ state0 & state2 ^ state1 & state2) | 0;
            state7 = state6;
            state6 = state5;
            state5 = state4;
            state4 = state3 + t1 | 0;
            state3 = state2;
            state2 = state1;
            state1 = state0;
            state0 = t1 + t2 | 0;
          }
          state[0] += state0;
          state[1] += state1;
          state[2] += state2;
          state[3] += state3;
          state[4] += state4;
          state[5] += state5;
          state[6] += state6;
          state[7] += state7;
        };
        return RawSha2562;
      })()
    );
    exports.RawSha256 = RawSha256;
  }
});

// node_modules/@smithy/is-array-buffer/dist-cjs/index.js
var require_dist_cjs4 = __commonJS({
  "node_modules/@smithy/is-array-buffer/dist-cjs/index.js"(exports, module) {
    var __defProp = Object.defineProperty;
    var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
    var __getOwnPropNames = Object.getOwnPropertyNames;
    var __hasOwnProp = Object.prototype.hasOwnProperty;
    var __name = (target, value) => __defProp(target, "name", { value, configurable: true });
    var __export2 = (target, all) => {
      for (var name in all)
        __defProp(target, name, { get: all[name], enumerable: true });
    };
    var __copyProps = (to, from, except, desc) => {
      if (from && typeof from === "object" || typeof from === "function") {
        for (let key of __getOwnPropNames(from))
          if (!__hasOwnProp.call(to, key) && key !== except)
            __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
      }
      return to;
    };
    var __toCommonJS2 = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
    var src_exports = {};
    __export2(src_exports, {
      isArrayBuffer: () => isArrayBuffer
    });
    module.exports = __toCommonJS2(src_exports);
    var isArrayBuffer = /* @__PURE__ */ __name((arg) => typeof ArrayBuffer === "function" && arg instanceof ArrayBuffer || Object.prototype.toString.call(arg) === "[object ArrayBuffer]", "isArrayBuffer");
  }
});

// node_modules/@smithy/util-buffer-from/dist-cjs/index.js
var require_dist_cjs5 = __commonJS({
  "node_modules/@smithy/util-buffer-from/dist-cjs/index.js"(exports, module) {
    var __defProp = Object.defineProperty;
    var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
    var __getOwnPropNames = Object.getOwnPropertyNames;
    var __hasOwnProp = Object.prototype.hasOwnProperty;
    var __name = (target, value) => __defProp(target, "name", { value, configurable: true });
    var __export2 = (target, all) => {
      for (var name in all)
        __defProp(target, name, { get: all[name], enumerable: true });
    };
    var __copyProps = (to, from, except, desc) => {
      if (from && typeof from === "object" || typeof from === "function") {
        for (let key of __getOwnPropNames(from))
          if (!__hasOwnProp.call(to, key) && key !== except)
            __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
      }
      return to;
    };
    var __toCommonJS2 = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
    var src_exports = {};
    __export2(src_exports, {
      fromArrayBuffer: () => fromArrayBuffer,
      fromString: () => fromString
    });
    module.exports = __toCommonJS2(src_exports);
    var import_is_array_buffer = require_dist_cjs4();
    var import_buffer = __require("buffer");
    var fromArrayBuffer = /* @__PURE__ */ __name((input, offset = 0, length = input.byteLength - offset) => {
      if (!(0, import_is_array_buffer.isArrayBuffer)(input)) {
        throw new TypeError(`The "input" argument must be ArrayBuffer. Received type ${typeof input} (${input})`);
      }
      return import_buffer.Buffer.from(input, offset, length);
    }, "fromArrayBuffer");
    var fromString = /* @__PURE__ */ __name((input, encoding) => {
      if (typeof input !== "string") {
        throw new TypeError(`The "input" argument must be of type string. Received type ${typeof input} (${input})`);
      }
      return encoding ? import_buffer.Buffer.from(input, encoding) : import_buffer.Buffer.from(input);
    }, "fromString");
  }
});

// node_modules/@smithy/util-utf8/dist-cjs/index.js
var require_dist_cjs6 = __commonJS({
  "node_modules/@smithy/util-utf8/dist-cjs/index.js"(exports, module) {
    var __defProp = Object.defineProperty;
    var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
    var __getOwnPropNames = Object.getOwnPropertyNames;
    var __hasOwnProp = Object.prototype.hasOwnProperty;
    var __name = (target, value) => __defProp(target, "name", { value, configurable: true });
    var __export2 = (target, all) => {
      for (var name in all)
        __defProp(target, name, { get: all[name], enumerable: true });
    };
    var __copyProps = (to, from, except, desc) => {
      if (from && typeof from === "object" || typeof from === "function") {
        for (let key of __getOwnPropNames(from))
          if (!__hasOwnProp.call(to, key) && key !== except)
            __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
      }
      return to;
    };
    var __toCommonJS2 = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
    var src_exports = {};
    __export2(src_exports, {
      fromUtf8: () => fromUtf8,
      toUint8Array: () => toUint8Array,
      toUtf8: () => toUtf8
    });
    module.exports = __toCommonJS2(src_exports);
    var import_util_buffer_from = require_dist_cjs5();
    var fromUtf8 = /* @__PURE__ */ __name((input) => {
      const buf = (0, import_util_buffer_from.fromString)(input, "utf8");
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength / Uint8Array.BYTES_PER_ELEMENT);
    }, "fromUtf8");
    var toUint8Array = /* @__PURE__ */ __name((data) => {
      if (typeof data === "string") {
        return fromUtf8(data);
      }
      if (ArrayBuffer.isView(data)) {
        return new Uint8Array(data.buffer, data.byteOffset, data.byteLength / Uint8Array.BYTES_PER_ELEMENT);
      }
      return new Uint8Array(data);
    }, "toUint8Array");
    var toUtf8 = /* @__PURE__ */ __name((input) => {
      if (typeof input === "string") {
        return input;
      }
      if (typeof input !== "object" || typeof input.byteOffset !== "number" || typeof input.byteLength !== "number") {
        throw new Error("@smithy/util-utf8: toUtf8 encoder function only accepts string | Uint8Array.");
      }
      return (0, import_util_buffer_from.fromArrayBuffer)(input.buffer, input.byteOffset, input.byteLength).toString("utf8");
    }, "toUtf8");
  }
});

// node_modules/@aws-crypto/util/build/main/convertToBuffer.js
var require_convertToBuffer = __commonJS({
  "node_modules/@aws-crypto/util/build/main/convertToBuffer.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.convertToBuffer = void 0;
    var util_utf8_1 = require_dist_cjs6();
    var fromUtf8 = typeof Buffer !== "undefined" && Buffer.from ? function(input) {
      return Buffer.from(input, "utf8");
    } : util_utf8_1.fromUtf8;
    function convertToBuffer(data) {
      if (data instanceof Uint8Array)
        return data;
      if (typeof data === "string") {
        return fromUtf8(data);
      }
      if (ArrayBuffer.isView(data)) {
        return new Uint8Array(data.buffer, data.byteOffset, data.byteLength / Uint8Array.BYTES_PER_ELEMENT);
      }
      return new Uint8Array(data);
    }
    exports.convertToBuffer = convertToBuffer;
  }
});

// node_modules/@aws-crypto/util/build/main/isEmptyData.js
var require_isEmptyData = __commonJS({
  "node_modules/@aws-crypto/util/build/main/isEmptyData.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.isEmptyData = void 0;
    function isEmptyData(data) {
      if (typeof data === "string") {
        return data.length === 0;
      }
      return data.byteLength === 0;
    }
    exports.isEmptyData = isEmptyData;
  }
});

// node_modules/@aws-crypto/util/build/main/numToUint8.js
var require_numToUint8 = __commonJS({
  "node_modules/@aws-crypto/util/build/main/numToUint8.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.numToUint8 = void 0;
    function numToUint8(num) {
      return new Uint8Array([
        (num & 4278190080) >> 24,
        (num & 16711680) >> 16,
        (num & 65280) >> 8,
        num & 255
      ]);
    }
    exports.numToUint8 = numToUint8;
  }
});

// node_modules/@aws-crypto/util/build/main/uint32ArrayFrom.js
var require_uint32ArrayFrom = __commonJS({
  "node_modules/@aws-crypto/util/build/main/uint32ArrayFrom.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.uint32ArrayFrom = void 0;
    function uint32ArrayFrom(a_lookUpTable) {
      if (!Uint32Array.from) {
        var return_array = new Uint32Array(a_lookUpTable.length);
        var a_index = 0;
        while (a_index < a_lookUpTable.length) {
          return_array[a_index] = a_lookUpTable[a_index];
          a_index += 1;
        }
        return return_array;
      }
      return Uint32Array.from(a_lookUpTable);
    }
    exports.uint32ArrayFrom = uint32ArrayFrom;
  }
});

// node_modules/@aws-crypto/util/build/main/index.js
var require_main = __commonJS({
  "node_modules/@aws-crypto/util/build/main/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.uint32ArrayFrom = exports.numToUint8 = exports.isEmptyData = exports.convertToBuffer = void 0;
    var convertToBuffer_1 = require_convertToBuffer();
    Object.defineProperty(exports, "convertToBuffer", { enumerable: true, get: function() {
      return convertToBuffer_1.convertToBuffer;
    } });
    var isEmptyData_1 = require_isEmptyData();
    Object.defineProperty(exports, "isEmptyData", { enumerable: true, get: function() {
      return isEmptyData_1.isEmptyData;
    } });
    var numToUint8_1 = require_numToUint8();
    Object.defineProperty(exports, "numToUint8", { enumerable: true, get: function() {
      return numToUint8_1.numToUint8;
    } });
    var uint32ArrayFrom_1 = require_uint32ArrayFrom();
    Object.defineProperty(exports, "uint32ArrayFrom", { enumerable: true, get: function() {
      return uint32ArrayFrom_1.uint32ArrayFrom;
    } });
  }
});

// node_modules/@aws-crypto/sha256-js/build/main/jsSha256.js
var require_jsSha256 = __commonJS({
  "node_modules/@aws-crypto/sha256-js/build/main/jsSha256.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Sha256 = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var constants_1 = require_constants();
    var RawSha256_1 = require_RawSha256();
    var util_1 = require_main();
    var Sha2562 = (
      /** @class */
      (function() {
        function Sha2563(secret) {
          this.secret = secret;
          this.hash = new RawSha256_1.RawSha256();
          this.reset();
        }
        Sha2563.prototype.update = function(toHash) {
          if ((0, util_1.isEmptyData)(toHash) || this.error) {
            return;
          }
          try {
            this.hash.update((0, util_1.convertToBuffer)(toHash));
          } catch (e) {
            this.error = e;
          }
        };
        Sha2563.prototype.digestSync = function() {
          if (this.error) {
            throw this.error;
          }
          if (this.outer) {
            if (!this.outer.finished) {
              this.outer.update(this.hash.digest());
            }
            return this.outer.digest();
          }
          return this.hash.digest();
        };
        Sha2563.prototype.digest = function() {
          return tslib_1.__awaiter(this, void 0, void 0, function() {
            return tslib_1.__generator(this, function(_a) {
              return [2, this.digestSync()];
            });
          });
        };
        Sha2563.prototype.reset = function() {
          this.hash = new RawSha256_1.RawSha256();
          if (this.secret) {
            this.outer = new RawSha256_1.RawSha256();
            var inner = bufferFromSecret(this.secret);
            var outer = new Uint8Array(constants_1.BLOCK_SIZE);
            outer.set(inner);
            for (var i = 0; i < constants_1.BLOCK_SIZE; i++) {
              inner[i] ^= 54;
              outer[i] ^= 92;
            }
            this.hash.update(inner);
            this.outer.update(outer);
            for (var i = 0; i < inner.byteLength; i++) {
              inner[i] = 0;
            }
          }
        };
        return Sha2563;
      })()
    );
    exports.Sha256 = Sha2562;
    function bufferFromSecret(secret) {
      var input = (0, util_1.convertToBuffer)(secret);
      if (input.byteLength > constants_1.BLOCK_SIZE) {
        var bufferHash = new RawSha256_1.RawSha256();
        bufferHash.update(input);
        input = bufferHash.digest();
      }
      var buffer = new Uint8Array(constants_1.BLOCK_SIZE);
      buffer.set(input);
      return buffer;
    }
  }
});

// node_modules/@aws-crypto/sha256-js/build/main/index.js
var require_main2 = __commonJS({
  "node_modules/@aws-crypto/sha256-js/build/main/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    tslib_1.__exportStar(require_jsSha256(), exports);
  }
});

// src/engine/bootstrap/bootstrap.ts
import { randomBytes } from "node:crypto";
import { CoreV1Api, CustomObjectsApi, StorageV1Api } from "@kubernetes/client-node";

// src/engine/bootstrap/eks.ts
var import_client_eks = __toESM(require_dist_cjs2(), 1);
var import_sha256_js = __toESM(require_main2(), 1);
var import_signature_v4 = __toESM(require_dist_cjs(), 1);
var EKS_TOKEN_PREFIX = "k8s-aws-v1.";
var CLUSTER_ID_HEADER = "x-k8s-aws-id";
var EKS_TOKEN_EXPIRES_SECONDS = 60;
function stsHost(region) {
  return region.startsWith("cn-") ? `sts.${region}.amazonaws.com.cn` : `sts.${region}.amazonaws.com`;
}
function escapeUri(value) {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  );
}
async function eksToken(cluster, region, credentials, now = /* @__PURE__ */ new Date()) {
  if (!cluster)
    throw new BootstrapError(
      "config",
      "eksToken: the cluster name is empty (Terraform output cluster_name)."
    );
  if (!region)
    throw new BootstrapError(
      "config",
      "eksToken: the region is empty (cloud.region in the environment file)."
    );
  if (!credentials.accessKeyId || !credentials.secretAccessKey) {
    throw new BootstrapError(
      "credentials",
      "eksToken: AWS credentials are missing an access key id or secret access key."
    );
  }
  const host = stsHost(region);
  const signer = new import_signature_v4.SignatureV4({
    credentials,
    region,
    service: "sts",
    sha256: import_sha256_js.Sha256,
    uriEscapePath: true,
    applyChecksum: false
  });
  const presigned = await signer.presign(
    {
      method: "GET",
      protocol: "https:",
      hostname: host,
      path: "/",
      query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      headers: { host, [CLUSTER_ID_HEADER]: cluster }
    },
    { signingDate: now, expiresIn: EKS_TOKEN_EXPIRES_SECONDS }
  );
  const query = Object.entries(presigned.query ?? {}).map(([k, v]) => `${escapeUri(k)}=${escapeUri(String(v))}`).join("&");
  const url = `https://${host}/?${query}`;
  return EKS_TOKEN_PREFIX + Buffer.from(url, "utf8").toString("base64url");
}
async function eksKubeTarget(eks, cluster, region, credentials, now = /* @__PURE__ */ new Date()) {
  let described;
  try {
    described = await eks.send(new import_client_eks.DescribeClusterCommand({ name: cluster }));
  } catch (err) {
    const name = err.name ?? "";
    if (name === "ResourceNotFoundException") {
      throw new BootstrapError(
        "config",
        `EKS cluster '${cluster}' was not found in ${region}.`,
        "Check the Terraform output cluster_name and that apply finished; then re-run bootstrap."
      );
    }
    if (/AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken/.test(name)) {
      throw new BootstrapError(
        "credentials",
        `EKS DescribeCluster for '${cluster}' was refused (${name}).`,
        "Give the provisioner role eks:DescribeCluster on the cluster."
      );
    }
    throw new BootstrapError(
      "network",
      `EKS DescribeCluster for '${cluster}' failed: ${err.message}`
    );
  }
  const c = described.cluster;
  if (!c?.endpoint || !c.certificateAuthority?.data) {
    throw new BootstrapError(
      "kube_unreachable",
      `EKS cluster '${cluster}' has no endpoint or CA yet (status ${c?.status ?? "unknown"}).`,
      "Wait until the cluster is ACTIVE, then re-run bootstrap."
    );
  }
  return {
    name: cluster,
    server: c.endpoint,
    caData: c.certificateAuthority.data,
    token: await eksToken(cluster, region, credentials, now)
  };
}

// src/engine/bootstrap/gke.ts
var CONTAINER_API = "https://container.googleapis.com/v1";
async function gcpAccessToken(auth) {
  let result;
  try {
    result = await auth.getAccessToken();
  } catch (err) {
    throw new BootstrapError(
      "credentials",
      `Could not get a GCP access token: ${err.message}`,
      "Check the workload identity federation setup and the service_account in the environment file."
    );
  }
  const token = typeof result === "string" ? result : result?.token;
  if (!token) throw new BootstrapError("credentials", "google-auth-library returned no access token.");
  return token;
}
async function googleGet(fetchImpl, url, token, what) {
  let res;
  try {
    res = await fetchImpl(url, {
      method: "GET",
      headers: { authorization: `Bearer ${token}`, accept: "application/json" }
    });
  } catch (err) {
    throw new BootstrapError("network", `${what}: request failed: ${err.message}`);
  }
  if (res.ok) return res.json();
  const body = (await res.text().catch(() => "")).slice(0, 500);
  let message = body;
  try {
    message = JSON.parse(body).error?.message ?? body;
  } catch {
  }
  if (res.status === 401 || res.status === 403) {
    throw new BootstrapError("credentials", `${what}: permission denied (HTTP ${res.status}): ${message}`);
  }
  if (res.status === 404) throw new BootstrapError("config", `${what}: not found (HTTP 404): ${message}`);
  throw new BootstrapError(
    res.status >= 500 || res.status === 429 ? "network" : "unknown",
    `${what}: HTTP ${res.status}: ${message}`
  );
}
async function gkeKubeTarget(deps, project, location, cluster) {
  const token = await gcpAccessToken(deps.auth);
  const url = `${CONTAINER_API}/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}/clusters/${encodeURIComponent(cluster)}`;
  const c = await googleGet(
    deps.fetch,
    url,
    token,
    `GKE cluster ${project}/${location}/${cluster}`
  );
  if (!c.endpoint || !c.masterAuth?.clusterCaCertificate) {
    throw new BootstrapError(
      "kube_unreachable",
      `GKE cluster '${cluster}' has no endpoint or CA yet (status ${c.status ?? "unknown"}).`,
      "Wait until the cluster is RUNNING, then re-run bootstrap."
    );
  }
  return {
    name: cluster,
    server: c.endpoint.startsWith("https://") ? c.endpoint : `https://${c.endpoint}`,
    caData: c.masterAuth.clusterCaCertificate,
    token
  };
}

// src/engine/bootstrap/helm.ts
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// src/engine/bootstrap/exec.ts
import { spawn } from "node:child_process";
function lineSplitter(sink) {
  let buffer = "";
  return {
    push(chunk) {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf("\n")) >= 0) {
        sink?.(buffer.slice(0, i).replace(/\r$/, ""));
        buffer = buffer.slice(i + 1);
      }
    },
    end() {
      if (buffer) sink?.(buffer);
      buffer = "";
    }
  };
}
var spawnExec = (file, args, options) => new Promise((resolve, reject) => {
  const child = spawn(file, args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ["ignore", "pipe", "pipe"]
  });
  let stdout = "";
  let stderr = "";
  let timedOut = false;
  const out = lineSplitter(options.onStdoutLine);
  const err = lineSplitter(options.onStderrLine);
  child.stdout.setEncoding("utf8").on("data", (d) => {
    stdout += d;
    out.push(d);
  });
  child.stderr.setEncoding("utf8").on("data", (d) => {
    stderr += d;
    err.push(d);
  });
  let killTimer;
  const timer = options.timeoutMs !== void 0 ? setTimeout(() => {
    timedOut = true;
    child.kill("SIGTERM");
    killTimer = setTimeout(() => child.kill("SIGKILL"), 1e4);
    killTimer.unref();
  }, options.timeoutMs) : void 0;
  child.on("error", (e) => {
    if (timer) clearTimeout(timer);
    reject(e);
  });
  child.on("close", (code, signal) => {
    if (timer) clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
    out.end();
    err.end();
    resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr, timedOut });
  });
});

// src/engine/bootstrap/redact.ts
var MASK = "***";
var Redactor = class {
  secrets = /* @__PURE__ */ new Set();
  /** Registers a value to mask. Values shorter than 4 characters would mask ordinary text, so they are refused. */
  add(value) {
    if (!value || value.length < 4) return;
    this.secrets.add(value);
    this.secrets.add(Buffer.from(value, "utf8").toString("base64"));
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.secrets.add(encoded);
  }
  redact(text) {
    let out = text;
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join(MASK);
    }
    return out;
  }
  /** Wraps a line sink so that everything written to it is redacted. */
  wrap(sink) {
    return (line) => sink?.(this.redact(line));
  }
};

// src/engine/bootstrap/helm.ts
var HelmError = class extends BootstrapError {
  exitCode;
  constructor(failureClass, message, exitCode, nextStep) {
    super(failureClass, message, nextStep);
    this.name = "HelmError";
    this.exitCode = exitCode;
  }
};
function helmDuration(timeout) {
  if (typeof timeout === "number") {
    if (!Number.isFinite(timeout) || timeout <= 0)
      throw new Error(`helm timeout must be a positive number of seconds, got ${timeout}`);
    return `${Math.ceil(timeout)}s`;
  }
  if (!/^(\d+h)?(\d+m)?(\d+s)?$/.test(timeout) || timeout === "") {
    throw new Error(`helm timeout '${timeout}' is not a Go duration. Expected e.g. 600s, 10m or 10m0s.`);
  }
  return timeout;
}
function helmErrorLine(stderr) {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => l.startsWith("Error:")) ?? lines[lines.length - 1] ?? "helm failed without a message";
}
function classifyHelmError(stderr) {
  const text = stderr;
  if (/Kubernetes cluster unreachable/i.test(text)) {
    return {
      failureClass: "kube_unreachable",
      nextStep: "Check that the cluster endpoint is reachable from the runner, then re-run bootstrap."
    };
  }
  if (/another operation \(install\/upgrade\/rollback\) is in progress/i.test(text)) {
    return {
      failureClass: "release_locked",
      nextStep: "A previous helm run was interrupted. Run `helm history <release> -n <namespace>` and `helm rollback <release> -n <namespace>`, then re-run bootstrap."
    };
  }
  if (/context deadline exceeded|timed out waiting for the condition/i.test(text)) {
    return {
      failureClass: "timeout",
      nextStep: "The release was rolled back (--atomic). Check the pods of the release (`kubectl get pods -n <namespace>`); re-run bootstrap, or raise the timeout if the cluster is slow."
    };
  }
  if (/failed to (do|perform|fetch|download)|: not found|no such host|dial tcp|i\/o timeout|TLS handshake timeout|toomanyrequests|unexpected status|connection reset|failed to authorize|pull access denied/i.test(
    text
  )) {
    return {
      failureClass: "network",
      nextStep: "The chart could not be pulled. Check the chart reference and version and the runner network access, then re-run bootstrap."
    };
  }
  return {
    failureClass: "release_failed",
    nextStep: "Fix what helm's message names (chart values or cluster state), then re-run bootstrap."
  };
}
function releaseSummary(json) {
  const r = json;
  if (!r || typeof r !== "object" || typeof r.name !== "string") {
    throw new HelmError("unknown", "helm printed JSON that is not a release (no name).", 0);
  }
  return {
    name: r.name,
    namespace: r.namespace ?? "",
    revision: typeof r.version === "number" ? r.version : Number(r.version ?? 0),
    status: r.info?.status ?? "unknown",
    chart: r.chart?.metadata?.name ?? "",
    chartVersion: r.chart?.metadata?.version ?? "",
    ...r.chart?.metadata?.appVersion ? { appVersion: r.chart.metadata.appVersion } : {},
    ...r.info?.description ? { description: r.info.description } : {}
  };
}
function parseJson(stdout, what) {
  const start = stdout.search(/^[[{]/m);
  if (start < 0) throw new HelmError("unknown", `${what}: helm printed no JSON.`, 0);
  try {
    return JSON.parse(stdout.slice(start));
  } catch {
    throw new HelmError("unknown", `${what}: helm printed JSON that does not parse.`, 0);
  }
}
function createHelmRunner(options = {}) {
  const {
    binary = "helm",
    kubeconfig,
    kubeconfigPath,
    env = process.env,
    exec = spawnExec,
    timeoutMs = 30 * 6e4,
    onLine,
    redactor = new Redactor(),
    tmpDir = tmpdir()
  } = options;
  const sink = redactor.wrap(onLine);
  async function run(args, prepare) {
    const dir = await mkdtemp(join(tmpDir, "beta9-helm-"));
    try {
      const childEnv = { ...env };
      if (kubeconfig !== void 0) {
        const yaml = typeof kubeconfig === "string" ? kubeconfig : await kubeconfig();
        const file = join(dir, "kubeconfig");
        await writeFile(file, yaml, { mode: 384 });
        childEnv.KUBECONFIG = file;
      } else if (kubeconfigPath) {
        childEnv.KUBECONFIG = kubeconfigPath;
      }
      const extra = prepare ? await prepare(dir) : [];
      const fullArgs = [...args, ...extra];
      sink(
        `$ ${binary} ${fullArgs.map((a) => a.startsWith(dir) ? "<temp>/" + a.slice(dir.length + 1) : a).join(" ")}`
      );
      let result;
      try {
        result = await exec(binary, fullArgs, { env: childEnv, timeoutMs, onStderrLine: sink });
      } catch (err) {
        const code = err.code;
        if (code === "ENOENT") {
          throw new HelmError(
            "config",
            `The helm binary '${binary}' was not found.`,
            127,
            "Install Helm 3.8+ on the runner (azure/setup-helm) or set the helm binary input."
          );
        }
        throw new HelmError(
          "unknown",
          redactor.redact(`Running ${binary} failed: ${err.message}`),
          1
        );
      }
      if (result.timedOut) {
        throw new HelmError(
          "timeout",
          `helm ${args[0]} did not finish within ${Math.round(timeoutMs / 1e3)} s and was stopped.`,
          result.exitCode,
          "Re-run bootstrap; if the release is left pending, roll it back with `helm rollback`."
        );
      }
      return result;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  function fail(result, what) {
    const { failureClass, nextStep } = classifyHelmError(result.stderr);
    throw new HelmError(
      failureClass,
      redactor.redact(`${what}: ${helmErrorLine(result.stderr)}`),
      result.exitCode,
      nextStep
    );
  }
  return {
    async version() {
      const result = await run(["version", "--short"]);
      if (result.exitCode !== 0) fail(result, "helm version");
      return result.stdout.trim();
    },
    async upgradeInstall(o) {
      const args = [
        "upgrade",
        "--install",
        o.release,
        o.chart,
        "--version",
        o.version,
        "--namespace",
        o.namespace
      ];
      if (o.createNamespace) args.push("--create-namespace");
      if (o.atomic ?? true) args.push("--atomic");
      if (o.wait ?? true) args.push("--wait");
      args.push("--timeout", helmDuration(o.timeout), "-o", "json");
      const result = await run(args, async (dir) => {
        const file = join(dir, "values.json");
        await writeFile(file, JSON.stringify(o.values, null, 2), { mode: 384 });
        return ["-f", file];
      });
      if (result.exitCode !== 0)
        fail(result, `helm upgrade --install ${o.release} (${o.chart} ${o.version})`);
      return releaseSummary(parseJson(result.stdout, `helm upgrade ${o.release}`));
    },
    async status(release, namespace) {
      const result = await run(["status", release, "--namespace", namespace, "-o", "json"]);
      if (result.exitCode !== 0) {
        if (/release: not found/i.test(result.stderr)) return void 0;
        fail(result, `helm status ${release}`);
      }
      return releaseSummary(parseJson(result.stdout, `helm status ${release}`));
    },
    async list(namespace) {
      const scope = namespace ? ["--namespace", namespace] : ["--all-namespaces"];
      const result = await run(["list", ...scope, "--all", "-o", "json"]);
      if (result.exitCode !== 0) fail(result, "helm list");
      const parsed = parseJson(result.stdout, "helm list");
      if (!Array.isArray(parsed))
        throw new HelmError("unknown", "helm list printed JSON that is not an array.", 0);
      return parsed;
    },
    async uninstall(release, namespace) {
      const result = await run(["uninstall", release, "--namespace", namespace, "--wait"]);
      if (result.exitCode !== 0) {
        if (/release: not found/i.test(result.stderr)) return false;
        fail(result, `helm uninstall ${release}`);
      }
      return true;
    }
  };
}

// src/engine/bootstrap/kube.ts
var MANAGED_BY = { "app.kubernetes.io/managed-by": "beta9-provisioner" };
function kubeStatus(err) {
  const code = err.code;
  return typeof code === "number" ? code : void 0;
}
function kubeMessage(err) {
  const body = err.body;
  if (typeof body === "string") {
    try {
      const parsed = JSON.parse(body);
      if (parsed.message) return parsed.message;
    } catch {
    }
    if (body) return body.slice(0, 300);
  } else if (body && typeof body === "object" && "message" in body) {
    return String(body.message);
  }
  return err.message ?? String(err);
}
function kubeError(err, what) {
  if (err instanceof BootstrapError) return err;
  const status = kubeStatus(err);
  const message = kubeMessage(err);
  if (status === 401 || status === 403) {
    return new BootstrapError(
      "credentials",
      `${what}: the Kubernetes API refused the credentials (HTTP ${status}): ${message}`,
      "On EKS, grant the provisioner role cluster-admin through an access entry; on GKE, give the service account roles/container.admin."
    );
  }
  if (status !== void 0 && (status >= 500 || status === 429)) {
    return new BootstrapError(
      "kube_unreachable",
      `${what}: the Kubernetes API answered HTTP ${status}: ${message}`
    );
  }
  if (status !== void 0) {
    return new BootstrapError("unknown", `${what}: the Kubernetes API answered HTTP ${status}: ${message}`);
  }
  return new BootstrapError(
    "kube_unreachable",
    `${what}: the Kubernetes API is unreachable: ${message}`,
    "Check that the cluster endpoint is reachable from the runner (public endpoint or a runner inside the VPC)."
  );
}
function isNodeReady(node) {
  return (node.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}
async function waitForNodes(coreApi, options) {
  const { minReady, timeoutMs, intervalMs, clock = systemClock, onProgress } = options;
  const deadline = clock.now() + timeoutMs;
  let last = { ready: 0, total: 0 };
  let lastError;
  let lastLine = "";
  for (; ; ) {
    try {
      const list = await coreApi.listNode();
      const items = list.items ?? [];
      last = { ready: items.filter(isNodeReady).length, total: items.length };
      lastError = void 0;
      const line = `${last.ready}/${minReady} nodes Ready (${last.total} registered)`;
      if (line !== lastLine) onProgress?.(line);
      lastLine = line;
      if (last.ready >= minReady) return last;
    } catch (err) {
      lastError = kubeError(err, "listing nodes");
      if (!lastError.retryable) throw lastError;
      onProgress?.(`waiting for the Kubernetes API: ${lastError.message}`);
    }
    if (clock.now() + intervalMs > deadline) break;
    await clock.sleep(intervalMs);
  }
  if (lastError) {
    throw new BootstrapError(
      "kube_unreachable",
      `The Kubernetes API did not answer within ${Math.round(timeoutMs / 1e3)} s: ${lastError.message}`,
      lastError.nextStep ?? "Re-run bootstrap once the cluster endpoint answers."
    );
  }
  throw new BootstrapError(
    "nodes_not_ready",
    `Only ${last.ready} of the ${minReady} required nodes became Ready within ${Math.round(timeoutMs / 1e3)} s (${last.total} registered).`,
    "Check the node group in the cloud console (capacity, quotas, subnet IPs), then re-run bootstrap."
  );
}
async function ensureNamespace(core, name) {
  try {
    await core.readNamespace({ name });
    return false;
  } catch (err) {
    if (kubeStatus(err) !== 404) throw kubeError(err, `reading namespace ${name}`);
  }
  try {
    await core.createNamespace({
      body: { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { ...MANAGED_BY } } }
    });
    return true;
  } catch (err) {
    if (kubeStatus(err) === 409) return false;
    throw kubeError(err, `creating namespace ${name}`);
  }
}
async function readSecret(core, namespace, name) {
  let secret;
  try {
    secret = await core.readNamespacedSecret({ namespace, name });
  } catch (err) {
    if (kubeStatus(err) === 404) return void 0;
    throw kubeError(err, `reading Secret ${namespace}/${name}`);
  }
  const out = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, "base64").toString("utf8");
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = v;
  return out;
}
async function upsertSecret(core, namespace, name, data) {
  const encoded = {};
  for (const [k, v] of Object.entries(data)) encoded[k] = Buffer.from(v, "utf8").toString("base64");
  const body = (resourceVersion) => ({
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: { name, namespace, labels: { ...MANAGED_BY }, ...resourceVersion ? { resourceVersion } : {} },
    data: encoded
  });
  let existing;
  try {
    existing = await core.readNamespacedSecret({ namespace, name });
  } catch (err) {
    if (kubeStatus(err) !== 404) throw kubeError(err, `reading Secret ${namespace}/${name}`);
  }
  try {
    if (!existing) {
      await core.createNamespacedSecret({ namespace, body: body() });
      return "created";
    }
    await core.replaceNamespacedSecret({ namespace, name, body: body(existing.metadata?.resourceVersion) });
    return "replaced";
  } catch (err) {
    throw kubeError(err, `writing Secret ${namespace}/${name}`);
  }
}
async function ensureGp3StorageClass(storage, name = "gp3") {
  try {
    await storage.readStorageClass({ name });
    return false;
  } catch (err) {
    if (kubeStatus(err) !== 404) throw kubeError(err, `reading StorageClass ${name}`);
  }
  try {
    await storage.createStorageClass({
      body: {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name, labels: { ...MANAGED_BY } },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true", fsType: "ext4" },
        reclaimPolicy: "Delete",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true
      }
    });
    return true;
  } catch (err) {
    if (kubeStatus(err) === 409) return false;
    throw kubeError(err, `creating StorageClass ${name}`);
  }
}
async function upsertClusterIssuer(custom, issuer) {
  const ref = { group: "cert-manager.io", version: "v1", plural: "clusterissuers" };
  const name = issuer.metadata.name;
  let existing;
  try {
    existing = await custom.getClusterCustomObject({ ...ref, name });
  } catch (err) {
    if (kubeStatus(err) !== 404) throw kubeError(err, `reading ClusterIssuer ${name}`);
  }
  try {
    if (!existing) {
      await custom.createClusterCustomObject({ ...ref, body: issuer });
      return "created";
    }
    const body = {
      ...issuer,
      metadata: { ...issuer.metadata, resourceVersion: existing.metadata?.resourceVersion }
    };
    await custom.replaceClusterCustomObject({ ...ref, name, body });
    return "replaced";
  } catch (err) {
    throw kubeError(err, `writing ClusterIssuer ${name}`);
  }
}

// src/engine/bootstrap/kubeconfig.ts
import { KubeConfig } from "@kubernetes/client-node";
function buildKubeConfig(options) {
  const { name, server, caData, token } = options;
  const skipTLSVerify = options.skipTLSVerify === true && server.startsWith("http://");
  if (!/^https?:\/\//.test(server)) {
    throw new Error(`buildKubeConfig: server '${server}' is not a URL. Expected https://<host>[:port].`);
  }
  if (!token) throw new Error(`buildKubeConfig: the token for cluster '${name}' is empty.`);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name, server, caData: skipTLSVerify ? void 0 : caData, skipTLSVerify }],
    users: [{ name: `${name}-user`, token }],
    contexts: [{ name, cluster: name, user: `${name}-user` }],
    currentContext: name
  });
  return kc;
}

// src/engine/bootstrap/outputs.ts
function normalizeOutputs(raw) {
  const out = {};
  for (const [k, v] of Object.entries(raw)) {
    out[k] = v && typeof v === "object" && !Array.isArray(v) && "value" in v ? v.value : v;
  }
  return out;
}
function str(v) {
  if (typeof v === "string" && v.trim() !== "") return v.trim();
  if (typeof v === "number") return String(v);
  return void 0;
}
function port(v, fallback) {
  if (v === void 0 || v === null || v === "") return fallback;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : "bad";
}
function splitHostPort(endpoint, defaultPort) {
  const m = /^(.*):(\d{1,5})$/.exec(endpoint);
  if (m && m[1] && !m[1].includes(":")) return { host: m[1], port: Number(m[2]) };
  return { host: endpoint, port: defaultPort };
}
function first(o, names) {
  for (const n of names) {
    const v = str(o[n]);
    if (v) return v;
  }
  return void 0;
}
var GCP_DB_HOST_OUTPUTS = ["database_private_ip", "database_host"];
var GCP_DB_SECRET_OUTPUTS = ["database_secret_id", "database_password_secret"];
function connectionFromOutputs(model, raw) {
  const o = normalizeOutputs(raw);
  const missing = [];
  const need = (names) => {
    const v = first(o, names);
    if (!v) missing.push(names.join(" or "));
    return v ?? "";
  };
  const clusterName = need(["cluster_name"]);
  const redisHost = need(["redis_endpoint"]);
  const redisPort = port(o.redis_port, 6379);
  let database;
  if (model.cloud.provider === "aws") {
    const endpoint = need(["rds_endpoint"]);
    const secretArn = need(["rds_master_user_secret_arn"]);
    const hp = splitHostPort(endpoint, 5432);
    const explicitPort = port(o.rds_port, hp.port);
    database = {
      host: hp.host,
      port: explicitPort === "bad" ? hp.port : explicitPort,
      name: first(o, ["database_name", "rds_database_name"]),
      username: first(o, ["database_user", "rds_username"]),
      passwordSource: { kind: "aws-secrets-manager", secretArn }
    };
  } else {
    const host = need(GCP_DB_HOST_OUTPUTS);
    const secretName = need(GCP_DB_SECRET_OUTPUTS);
    const p = port(o.database_port, 5432);
    database = {
      host,
      port: p === "bad" ? 5432 : p,
      name: first(o, ["database_name"]),
      username: first(o, ["database_user"]),
      passwordSource: { kind: "gcp-secret-manager", secretName }
    };
  }
  if (redisPort === "bad") missing.push(`redis_port (a port number, got ${JSON.stringify(o.redis_port)})`);
  if (missing.length > 0) {
    throw new BootstrapError(
      "config",
      `Terraform outputs are missing what the bootstrap needs: ${missing.join(", ")}.`,
      "Run apply to completion (the outputs are written at the end), or check that the stack declares these outputs."
    );
  }
  return {
    clusterName,
    clusterLocation: first(o, ["cluster_location"]) ?? model.cloud.region,
    database,
    redis: {
      host: redisHost,
      port: redisPort,
      ...str(o.redis_ca_certificate) ? { caCertificate: String(o.redis_ca_certificate) } : {}
    },
    bucketName: first(o, ["bucket_name"])
  };
}

// src/engine/bootstrap/secrets.ts
var import_client_secrets_manager = __toESM(require_dist_cjs3(), 1);
var SECRET_MANAGER_API = "https://secretmanager.googleapis.com/v1";
function parseCredentials(text, where) {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let parsed;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new BootstrapError("secret", `${where} holds text that starts like JSON but does not parse.`);
    }
    if (typeof parsed.password !== "string" || parsed.password === "") {
      throw new BootstrapError(
        "secret",
        `${where} has no "password" field. Expected JSON {"username": ..., "password": ...}.`
      );
    }
    return {
      password: parsed.password,
      username: typeof parsed.username === "string" ? parsed.username : void 0,
      dbname: typeof parsed.dbname === "string" ? parsed.dbname : void 0
    };
  }
  if (!trimmed) throw new BootstrapError("secret", `${where} is empty.`);
  return { password: trimmed };
}
function secretVersionName(secret, project) {
  if (/^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/.test(secret)) return secret;
  if (/^projects\/[^/]+\/secrets\/[^/]+$/.test(secret)) return `${secret}/versions/latest`;
  if (/^[A-Za-z0-9_-]+$/.test(secret)) return `projects/${project}/secrets/${secret}/versions/latest`;
  throw new BootstrapError(
    "config",
    `'${secret}' is not a Secret Manager secret name. Expected projects/<project>/secrets/<id> or <id>.`
  );
}
async function readDatabaseCredentials(deps, source, redactor, gcpProject = "") {
  let creds;
  if (source.kind === "aws-secrets-manager") {
    if (!deps.secretsManager)
      throw new BootstrapError("unknown", "No Secrets Manager client was passed to the bootstrap.");
    const where = `Secrets Manager secret ${source.secretArn}`;
    let res;
    try {
      res = await deps.secretsManager.send(new import_client_secrets_manager.GetSecretValueCommand({ SecretId: source.secretArn }));
    } catch (err) {
      const name = err.name ?? "Error";
      if (name === "ResourceNotFoundException") {
        throw new BootstrapError(
          "config",
          `${where} does not exist.`,
          "Check the Terraform output rds_master_user_secret_arn."
        );
      }
      if (/AccessDenied|DecryptionFailure|UnrecognizedClient|ExpiredToken/.test(name)) {
        throw new BootstrapError(
          "credentials",
          `${where} could not be read (${name}).`,
          "Give the provisioner role secretsmanager:GetSecretValue on the secret and kms:Decrypt on its key."
        );
      }
      throw new BootstrapError("network", `${where} could not be read: ${name}: ${err.message}`);
    }
    const text = res.SecretString ?? (res.SecretBinary ? Buffer.from(res.SecretBinary).toString("utf8") : "");
    creds = parseCredentials(text, where);
  } else {
    if (!deps.gcpAuth || !deps.fetch)
      throw new BootstrapError("unknown", "No GCP auth or fetch was passed to the bootstrap.");
    const name = secretVersionName(source.secretName, gcpProject);
    const token = await gcpAccessToken(deps.gcpAuth);
    redactor.add(token);
    const body = await googleGet(
      deps.fetch,
      `${SECRET_MANAGER_API}/${name}:access`,
      token,
      `Secret Manager ${name}`
    );
    if (!body.payload?.data)
      throw new BootstrapError("secret", `Secret Manager ${name} has an empty payload.`);
    creds = parseCredentials(
      Buffer.from(body.payload.data, "base64").toString("utf8"),
      `Secret Manager ${name}`
    );
  }
  redactor.add(creds.password);
  return creds;
}

// src/engine/bootstrap/bootstrap.ts
var DATABASE_SECRET = "beta9-database";
var REDIS_SECRET = "beta9-redis";
var GENERATED_SECRET = "beta9-generated";
var DEFAULT_DATABASE = "beta9";
var DEFAULT_DATABASE_USER = "beta9";
var DEFAULT_NEXT_STEP = {
  config: "Fix the environment file or the stack outputs named above, then re-run bootstrap.",
  credentials: "Check the provisioner role or service account permissions, then re-run bootstrap.",
  secret: "Check the database secret named above, then re-run bootstrap.",
  kube_unreachable: "Re-run bootstrap once the cluster endpoint answers from the runner.",
  nodes_not_ready: "Check the node groups in the cloud console, then re-run bootstrap.",
  timeout: "Re-run bootstrap; the release was rolled back, so a re-run starts clean.",
  network: "Re-run bootstrap; this failure is usually transient.",
  release_locked: "Roll back the stuck release with helm, then re-run bootstrap.",
  release_failed: "Fix what helm's message names, then re-run bootstrap.",
  unknown: "Re-run bootstrap; if it fails again, report a bug with this message."
};
function defaultMinReady(model) {
  const min = model.cluster.nodeGroups.reduce((sum, g) => sum + g.minNodes, 0);
  return Math.max(1, min);
}
function helmSeconds(timeout) {
  const d = helmDuration(timeout);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(d);
  return m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : 0;
}
function generateEncryptionKey(random = randomBytes) {
  return `sk_${random(32).toString("base64")}`;
}
function planBootstrap(options) {
  const { model } = options;
  const connection = connectionFromOutputs(model, options.outputs);
  const ingress = ingressController(options.ingress ?? "traefik", options.versions?.ingress);
  const domain = model.beta9.domain;
  if (domain && !ingress) {
    throw new BootstrapError(
      "config",
      `beta9.domain is '${domain}' but the ingress controller is 'none'.`,
      "Choose an ingress controller (traefik), or remove beta9.domain from the environment file."
    );
  }
  if (domain && !model.beta9.tlsEmail) {
    throw new BootstrapError(
      "config",
      `beta9.domain is set but beta9.tls_email is missing.`,
      "Add beta9.tls_email (the ACME account e-mail) to the environment file."
    );
  }
  const storageClass = storageClassFor(model.cloud.provider);
  const withDomain = domain && ingress && model.beta9.tlsEmail ? { domain, ingress, email: model.beta9.tlsEmail } : void 0;
  return {
    connection,
    ingress,
    storageClass,
    certManager: {
      ...CERT_MANAGER,
      version: options.versions?.certManager ?? CERT_MANAGER.version,
      values: certManagerValues()
    },
    issuer: withDomain ? clusterIssuer(withDomain.email, withDomain.ingress.className, options.acmeServer) : void 0,
    ingressRelease: ingress ? {
      release: ingress.release,
      chart: ingress.chart,
      version: ingress.version,
      namespace: ingress.namespace,
      values: ingress.values(model.cloud.provider)
    } : void 0,
    beta9: (secrets) => ({
      release: BETA9_RELEASE,
      chart: BETA9_CHART,
      version: model.beta9.chartVersion,
      namespace: BETA9_NAMESPACE,
      values: beta9Values({
        provider: model.cloud.provider,
        database: {
          host: connection.database.host,
          port: connection.database.port,
          username: secrets.username,
          password: secrets.password,
          name: secrets.dbName
        },
        redis: connection.redis,
        encryptionKey: secrets.encryptionKey,
        storageClass,
        ingress: withDomain ? {
          domain: withDomain.domain,
          className: withDomain.ingress.className,
          clusterIssuer: CLUSTER_ISSUER
        } : void 0
      })
    })
  };
}
async function bootstrapCluster(deps, options) {
  const reporter = deps.reporter ?? nullReporter;
  const clock = deps.clock ?? systemClock;
  const redactor = deps.redactor ?? new Redactor();
  const log = (line) => reporter.log(redactor.redact(line));
  const { model } = options;
  const timings = [];
  const releases = [];
  let current = "kubeconfig";
  async function phase(name, detail, body) {
    current = name;
    reporter.phaseStarted(name, detail);
    const started = clock.now();
    const result = await body();
    const seconds = Math.round((clock.now() - started) / 100) / 10;
    timings.push({ phase: name, seconds });
    reporter.phaseFinished(name, seconds);
    return result;
  }
  try {
    const plan = planBootstrap(options);
    const { connection, ingress } = plan;
    const domain = model.beta9.domain;
    const timeout = options.helmTimeout ?? "10m";
    let timeoutSeconds;
    try {
      timeoutSeconds = helmSeconds(timeout);
    } catch (err) {
      throw new BootstrapError(
        "config",
        err.message,
        "Pass the helm timeout as seconds or a Go duration (10m)."
      );
    }
    if (model.cloud.provider === "aws" && timeoutSeconds > 14 * 60) {
      log(
        `warning: helm timeout ${String(timeout)} is longer than an EKS token lives (15 minutes); a slow rollout may end in 'Unauthorized'`
      );
    }
    let endpoint;
    const resolveTarget = async () => {
      let target;
      if (deps.kubeTarget) target = await deps.kubeTarget();
      else if (model.cloud.provider === "aws") {
        if (!deps.aws)
          throw new BootstrapError("unknown", "bootstrapCluster: AWS clients were not passed (deps.aws).");
        const creds = typeof deps.aws.credentials === "function" ? await deps.aws.credentials() : deps.aws.credentials;
        redactor.add(creds.secretAccessKey);
        redactor.add(creds.sessionToken);
        const now = new Date(clock.now());
        target = endpoint ? { ...endpoint, token: await eksToken(connection.clusterName, model.cloud.region, creds, now) } : await eksKubeTarget(deps.aws.eks, connection.clusterName, model.cloud.region, creds, now);
      } else {
        if (!deps.gcp)
          throw new BootstrapError("unknown", "bootstrapCluster: GCP clients were not passed (deps.gcp).");
        target = endpoint ? { ...endpoint, token: await gcpAccessToken(deps.gcp.auth) } : await gkeKubeTarget(
          deps.gcp,
          model.cloud.account,
          connection.clusterLocation,
          connection.clusterName
        );
      }
      endpoint = { name: target.name, server: target.server, caData: target.caData };
      redactor.add(target.token);
      return target;
    };
    const kubeConfigFor = (t) => buildKubeConfig({ ...t, skipTLSVerify: options.skipTLSVerify });
    const apis = async () => {
      const kc = kubeConfigFor(await resolveTarget());
      return {
        core: kc.makeApiClient(CoreV1Api),
        storage: kc.makeApiClient(StorageV1Api),
        custom: kc.makeApiClient(CustomObjectsApi)
      };
    };
    let api = await phase("kubeconfig", `connecting to ${connection.clusterName}`, apis);
    const nodes = await phase(
      "nodes",
      "waiting for Ready nodes",
      () => waitForNodes(api.core, {
        minReady: options.nodes?.minReady ?? defaultMinReady(model),
        timeoutMs: options.nodes?.timeoutMs ?? 15 * 6e4,
        intervalMs: options.nodes?.intervalMs ?? 1e4,
        clock,
        onProgress: log
      })
    );
    log(`${nodes.ready} nodes Ready`);
    api = await apis();
    const namespaces = [BETA9_NAMESPACE, CERT_MANAGER.namespace, ...ingress ? [ingress.namespace] : []];
    await phase("namespaces", namespaces.join(", "), async () => {
      for (const ns of namespaces)
        log(`namespace ${ns}: ${await ensureNamespace(api.core, ns) ? "created" : "exists"}`);
    });
    const secrets = await phase("secrets", "database and Redis connection", async () => {
      const creds = await readDatabaseCredentials(
        { secretsManager: deps.aws?.secretsManager, gcpAuth: deps.gcp?.auth, fetch: deps.gcp?.fetch },
        connection.database.passwordSource,
        redactor,
        model.cloud.account
      );
      const username = connection.database.username ?? creds.username ?? DEFAULT_DATABASE_USER;
      const dbName = connection.database.name ?? creds.dbname ?? DEFAULT_DATABASE;
      const dbState = await upsertSecret(api.core, BETA9_NAMESPACE, DATABASE_SECRET, {
        host: connection.database.host,
        port: String(connection.database.port),
        username,
        password: creds.password,
        database: dbName,
        sslmode: "require"
      });
      log(`Secret ${BETA9_NAMESPACE}/${DATABASE_SECRET}: ${dbState}`);
      const redisState = await upsertSecret(api.core, BETA9_NAMESPACE, REDIS_SECRET, {
        host: connection.redis.host,
        port: String(connection.redis.port),
        addrs: `${connection.redis.host}:${connection.redis.port}`,
        enableTLS: "true",
        password: "",
        ...connection.redis.caCertificate ? { "ca.crt": connection.redis.caCertificate } : {}
      });
      log(`Secret ${BETA9_NAMESPACE}/${REDIS_SECRET}: ${redisState}`);
      const generated = await readSecret(api.core, BETA9_NAMESPACE, GENERATED_SECRET);
      let encryptionKey = generated?.encryptionKey;
      if (!encryptionKey) {
        encryptionKey = generateEncryptionKey(deps.randomBytes);
        await upsertSecret(api.core, BETA9_NAMESPACE, GENERATED_SECRET, { ...generated, encryptionKey });
        log(`Secret ${BETA9_NAMESPACE}/${GENERATED_SECRET}: created (new encryption key)`);
      } else {
        log(`Secret ${BETA9_NAMESPACE}/${GENERATED_SECRET}: kept (existing encryption key)`);
      }
      redactor.add(encryptionKey);
      return { username, password: creds.password, dbName, encryptionKey };
    });
    const storageClass = plan.storageClass;
    await phase("storage", storageClass, async () => {
      if (model.cloud.provider === "aws") {
        log(
          `StorageClass ${storageClass}: ${await ensureGp3StorageClass(api.storage, storageClass) ? "created" : "exists"}`
        );
      } else {
        log(`StorageClass ${storageClass}: provided by GKE`);
      }
    });
    const helm = (deps.createHelm ?? createHelmRunner)({
      ...options.helm,
      kubeconfig: async () => kubeConfigFor(await resolveTarget()).exportConfig(),
      onLine: log,
      redactor
    });
    const install = (release) => helm.upgradeInstall({ ...release, atomic: true, wait: true, timeout, createNamespace: true });
    releases.push(
      await phase(
        "cert-manager",
        `${plan.certManager.chart} ${plan.certManager.version}`,
        () => install(plan.certManager)
      )
    );
    if (plan.issuer) {
      const issuer = plan.issuer;
      await phase("cluster-issuer", CLUSTER_ISSUER, async () => {
        const custom = (await apis()).custom;
        for (let attempt = 1; ; attempt++) {
          try {
            const state = await upsertClusterIssuer(custom, issuer);
            log(`ClusterIssuer ${CLUSTER_ISSUER}: ${state}`);
            return;
          } catch (err) {
            if (!(err instanceof BootstrapError) || !err.retryable || attempt >= 6) throw err;
            log(`ClusterIssuer ${CLUSTER_ISSUER}: not accepted yet (${err.message}); retrying`);
            await clock.sleep(5e3);
          }
        }
      });
    }
    if (plan.ingressRelease) {
      const release = plan.ingressRelease;
      releases.push(await phase("ingress", `${release.chart} ${release.version}`, () => install(release)));
    }
    const beta9 = plan.beta9(secrets);
    releases.push(await phase("beta9", `${beta9.chart} ${beta9.version}`, () => install(beta9)));
    return { ok: true, releases, timings, ...domain ? { gatewayUrl: `https://${domain}` } : {} };
  } catch (err) {
    const e = err instanceof BootstrapError ? err : new BootstrapError("unknown", `Unexpected error: ${err?.message ?? String(err)}`);
    const message = redactor.redact(e.message);
    log(`bootstrap failed in phase ${current}: ${message}`);
    return {
      ok: false,
      phase: current,
      failureClass: e.failureClass,
      retryable: e.retryable,
      message,
      nextStep: redactor.redact(e.nextStep ?? DEFAULT_NEXT_STEP[e.failureClass]),
      timings
    };
  }
}
export {
  DATABASE_SECRET,
  DEFAULT_DATABASE,
  DEFAULT_DATABASE_USER,
  GENERATED_SECRET,
  REDIS_SECRET,
  bootstrapCluster,
  defaultMinReady,
  generateEncryptionKey,
  helmSeconds,
  planBootstrap
};
