import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-LRYD2BFO.js";

// node_modules/constructs/lib/dependency.js
var require_dependency = __commonJS({
  "node_modules/constructs/lib/dependency.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Dependable = exports.DependencyGroup = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var DependencyGroup = class {
      static [JSII_RTTI_SYMBOL_1] = { fqn: "constructs.DependencyGroup", version: "10.8.1" };
      _deps = new Array();
      constructor(...deps) {
        const self = this;
        Dependable.implement(this, {
          get dependencyRoots() {
            const result = new Array();
            for (const d of self._deps) {
              result.push(...Dependable.of(d).dependencyRoots);
            }
            return result;
          }
        });
        this.add(...deps);
      }
      /**
       * Add a construct to the dependency roots
       */
      add(...scopes) {
        this._deps.push(...scopes);
      }
    };
    exports.DependencyGroup = DependencyGroup;
    var DEPENDABLE_SYMBOL = /* @__PURE__ */ Symbol.for("@aws-cdk/core.DependableTrait");
    var Dependable = class {
      static [JSII_RTTI_SYMBOL_1] = { fqn: "constructs.Dependable", version: "10.8.1" };
      /**
       * Turn any object into an IDependable.
       */
      static implement(instance, trait) {
        instance[DEPENDABLE_SYMBOL] = trait;
      }
      /**
       * Return the matching Dependable for the given class instance.
       */
      static of(instance) {
        const ret = instance[DEPENDABLE_SYMBOL];
        if (!ret) {
          throw new Error(`${instance} does not implement IDependable. Use "Dependable.implement()" to implement`);
        }
        return ret;
      }
      /**
       * Return the matching Dependable for the given class instance.
       * @deprecated use `of`
       */
      static get(instance) {
        return this.of(instance);
      }
    };
    exports.Dependable = Dependable;
  }
});

// node_modules/constructs/lib/private/node-addr.js
var require_node_addr = __commonJS({
  "node_modules/constructs/lib/private/node-addr.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
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
    }));
    var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar = exports && exports.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ADDR_SEP = void 0;
    exports.addressOf = addressOf;
    var crypto = __importStar(__require("crypto"));
    var HIDDEN_ID = "Default";
    exports.ADDR_SEP = "\n";
    function addressOf(components) {
      const hash = crypto.createHash("sha1");
      for (const c of components) {
        if (c === HIDDEN_ID) {
          continue;
        }
        hash.update(c);
        hash.update(exports.ADDR_SEP);
      }
      return "c8" + hash.digest("hex");
    }
  }
});

// node_modules/constructs/lib/private/stack-trace.js
var require_stack_trace = __commonJS({
  "node_modules/constructs/lib/private/stack-trace.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.captureStackTrace = captureStackTrace;
    function captureStackTrace(below) {
      below = below || captureStackTrace;
      const object = { stack: "" };
      const previousLimit = Error.stackTraceLimit;
      try {
        Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
        Error.captureStackTrace(object, below);
      } finally {
        Error.stackTraceLimit = previousLimit;
      }
      if (!object.stack) {
        return [];
      }
      return object.stack.split("\n").slice(1).map((s) => s.replace(/^\s*at\s+/, ""));
    }
  }
});

// node_modules/constructs/lib/construct.js
var require_construct = __commonJS({
  "node_modules/constructs/lib/construct.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.RootConstruct = exports.ConstructOrder = exports.Construct = exports.Node = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var dependency_1 = require_dependency();
    var node_addr_1 = require_node_addr();
    var stack_trace_1 = require_stack_trace();
    var CONSTRUCT_SYM = /* @__PURE__ */ Symbol.for("constructs.Construct");
    var Node = class _Node {
      host;
      static [JSII_RTTI_SYMBOL_1] = { fqn: "constructs.Node", version: "10.8.1" };
      /**
       * Separator used to delimit construct path components.
       */
      static PATH_SEP = "/";
      /**
       * Returns the node associated with a construct.
       * @param construct the construct
       *
       * @deprecated use `construct.node` instead
       */
      static of(construct) {
        return construct.node;
      }
      /**
       * Returns the scope in which this construct is defined.
       *
       * The value is `undefined` at the root of the construct scope tree.
       */
      scope;
      /**
       * The id of this construct within the current scope.
       *
       * This is a scope-unique id. To obtain an id that reflects the full location
       * of this construct in the tree, use `path` or `addr`.
       */
      id;
      /**
       * The full, absolute path of this construct in the tree.
       *
       * Components are separated by '/'.
       */
      path;
      _locked = false;
      // if this is "true", addChild will fail
      _children;
      _context;
      _metadata;
      _dependencies;
      _defaultChild;
      _validations;
      _addr;
      // cache
      _scopes;
      constructor(host, scope, id) {
        this.host = host;
        id = id ?? "";
        this.id = sanitizeId(id);
        this.scope = scope;
        if (scope && !this.id) {
          throw new Error("Only root constructs may have an empty ID");
        }
        if (scope) {
          scope.node.addChild(host, this.id);
          this.path = scope.node.path ? `${scope.node.path}${_Node.PATH_SEP}${this.id}` : this.id;
          this._scopes = [...scope.node._scopes, this.host];
        } else {
          this.path = this.id;
          this._scopes = [this.host];
        }
      }
      /**
       * All parent scopes of this construct.
       *
       * @returns a list of parent scopes. The last element in the list will always
       * be the current construct and the first element will be the root of the
       * tree.
       */
      get scopes() {
        return [...this._scopes];
      }
      /**
       * An opaque, deterministic address for this construct, derived from its path.
       *
       * The address is a 42 character string: the prefix "c8" followed by 40
       * lowercase hexadecimal characters (0-9a-f). It is a SHA-1 over the ids of
       * the constructs on the path from the root of the tree down to this
       * construct.
       *
       * To enable refactoring of construct trees, constructs with the ID `Default`
       * are excluded from the calculation. Within a tree, `a/Default/b` and `a/b`
       * have the same address.
       *
       * This means the address is *not* guaranteed to identify a construct uniquely:
       *
       * - Any construct whose path is made up of the same ids has the same address.
       *   Two trees that are shaped alike therefore hand out the same addresses.
       * - As described above, a construct under a `Default` scope has the same
       *   address as its counterpart outside of that scope.
       * - The digest is of fixed width, so even distinct paths can in principle hash
       *   to the same address. SHA-1 in particular is no longer collision resistant.
       *
       * Use an address to derive stable, deterministic names from the location of a
       * construct in the tree. Do not use it as the identity of a construct:
       * instead, compare construct instances or use the `path`.
       *
       * @example c83a2846e506bcc5f10682b564084bca2d275709ee
       */
      get addr() {
        if (!this._addr) {
          this._addr = (0, node_addr_1.addressOf)(this._scopes.map((c) => c.node.id));
        }
        return this._addr;
      }
      /**
       * Return a direct child by id, or undefined
       *
       * @param id Identifier of direct child
       * @returns the child if found, or undefined
       */
      tryFindChild(id) {
        return this._children?.[sanitizeId(id)];
      }
      /**
       * Return a direct child by id
       *
       * Throws an error if the child is not found.
       *
       * @param id Identifier of direct child
       * @returns Child with the given id.
       */
      findChild(id) {
        const ret = this.tryFindChild(id);
        if (!ret) {
          throw new Error(`No child with id: '${id}'`);
        }
        return ret;
      }
      /**
       * Returns the child construct that has the id `Default` or `Resource`.
       * This is usually the construct that provides the bulk of the underlying functionality.
       * Useful for modifications of the underlying construct that are not available at the higher levels.
       *
       * @throws if there is more than one child
       * @returns a construct or undefined if there is no default child
       */
      get defaultChild() {
        if (this._defaultChild !== void 0) {
          return this._defaultChild;
        }
        const resourceChild = this.tryFindChild("Resource");
        const defaultChild = this.tryFindChild("Default");
        if (resourceChild && defaultChild) {
          throw new Error(`Cannot determine default child for ${this.path}. There is both a child with id "Resource" and id "Default"`);
        }
        return defaultChild || resourceChild;
      }
      /**
       * Override the defaultChild property.
       *
       * This should only be used in the cases where the correct
       * default child is not named 'Resource' or 'Default' as it
       * should be.
       *
       * If you set this to undefined, the default behavior of finding
       * the child named 'Resource' or 'Default' will be used.
       */
      set defaultChild(value) {
        this._defaultChild = value;
      }
      /**
       * All direct children of this construct.
       */
      get children() {
        return Object.values(this._children ?? {});
      }
      /**
       * Return this construct and all of its children in the given order
       */
      findAll(order = ConstructOrder.PREORDER) {
        const ret = new Array();
        visit(this.host);
        return ret;
        function visit(c) {
          if (order === ConstructOrder.PREORDER) {
            ret.push(c);
          }
          for (const child of c.node.children) {
            visit(child);
          }
          if (order === ConstructOrder.POSTORDER) {
            ret.push(c);
          }
        }
      }
      /**
       * This can be used to set contextual values.
       * Context must be set before any children are added, since children may consult context info during construction.
       * If the key already exists, it will be overridden.
       * @param key The context key
       * @param value The context value
       */
      setContext(key, value) {
        if (this.children.length > 0) {
          const names = this.children.map((c) => c.node.id);
          throw new Error("Cannot set context after children have been added: " + names.join(","));
        }
        if (!this._context) {
          this._context = {};
        }
        this._context[key] = value;
      }
      /**
       * Retrieves a value from tree context if present. Otherwise, would throw an error.
       *
       * Context is usually initialized at the root, but can be overridden at any point in the tree.
       *
       * @param key The context key
       * @returns The context value or throws error if there is no context value for this key
       */
      getContext(key) {
        const value = this._context?.[key];
        if (value !== void 0) {
          return value;
        }
        if (value === void 0 && !this.scope?.node) {
          throw new Error(`No context value present for ${key} key`);
        }
        return this.scope && this.scope.node.getContext(key);
      }
      /**
       * Retrieves the all context of a node from tree context.
       *
       * Context is usually initialized at the root, but can be overridden at any point in the tree.
       *
       * @param defaults Any keys to override the retrieved context
       * @returns The context object or an empty object if there is discovered context
       */
      getAllContext(defaults) {
        const ret = { ...defaults };
        for (const scope of this._scopes) {
          Object.assign(ret, scope.node._context);
        }
        return ret;
      }
      /**
       * Retrieves a value from tree context.
       *
       * Context is usually initialized at the root, but can be overridden at any point in the tree.
       *
       * @param key The context key
       * @returns The context value or `undefined` if there is no context value for this key.
       */
      tryGetContext(key) {
        const value = this._context?.[key];
        if (value !== void 0) {
          return value;
        }
        return this.scope && this.scope.node.tryGetContext(key);
      }
      /**
       * An immutable array of metadata objects associated with this construct.
       * This can be used, for example, to implement support for deprecation notices, source mapping, etc.
       */
      get metadata() {
        return [...this._metadata ?? []];
      }
      /**
       * Adds a metadata entry to this construct.
       * Entries are arbitrary values and will also include a stack trace to allow tracing back to
       * the code location for when the entry was added. It can be used, for example, to include source
       * mapping in CloudFormation templates to improve diagnostics.
       * Note that construct metadata is not the same as CloudFormation resource metadata and is never written to the CloudFormation template.
       * The metadata entries are written to the Cloud Assembly Manifest if the `treeMetadata` property is specified in the props of the App that contains this Construct.
       *
       * @param type a string denoting the type of metadata
       * @param data the value of the metadata (can be a Token). If null/undefined, metadata will not be added.
       * @param options options
       */
      addMetadata(type, data, options = {}) {
        if (data == null) {
          return;
        }
        const node = this;
        function getTrace() {
          if (options.stackTraceOverride && options.stackTraceOverride.length > 0) {
            return options.stackTraceOverride;
          }
          const shouldTrace = options.stackTrace ?? false;
          return shouldTrace ? (0, stack_trace_1.captureStackTrace)(options.traceFromFunction ?? node.addMetadata) : void 0;
        }
        if (!this._metadata) {
          this._metadata = [];
        }
        this._metadata.push({ type, data, trace: getTrace() });
      }
      /**
       * Returns the root of the construct tree.
       * @returns The root of the construct tree.
       */
      get root() {
        return this._scopes[0];
      }
      /**
       * Returns true if this construct or the scopes in which it is defined are
       * locked.
       */
      get locked() {
        if (this._locked) {
          return true;
        }
        if (this.scope && this.scope.node.locked) {
          return true;
        }
        return false;
      }
      /**
       * Add an ordering dependency on a Dependable (a construct or set of constructs)
       *
       * It is up to the target document language to decide what an ordering
       * relationship means and how it should be rendered; for example, in the AWS
       * CDK for CloudFormation it means a dependency from every resource in scope
       * of the current construct to every resource in scope of the target set
       * of constructs, that get realized as either stack dependencies or
       * `DependsOn` relationships in the synthesized template.
       *
       * `IDependable` is a marker interface that indicates that a class has used
       * `Dependable.implement()` to implement the `IDependable` interface. It
       * can be used to make the target object represent more than one set of
       * constructs at a time. For example, a `DependencyGroup` uses this
       * interface to represent an explicit list of 0 or more constructs that should
       * be involved in the dependency relationship.
       */
      addDependency(...deps) {
        if (!this._dependencies) {
          this._dependencies = /* @__PURE__ */ new Set();
        }
        for (const d of deps) {
          this._dependencies.add(d);
        }
      }
      /**
       * Remove an ordering dependency on a Dependenable (a construct or set of constructs)
       *
       * This removes any dependency added using `node.addDependency()`. It must
       * use the exact same object that was involved in the `addDependency()` call.
       */
      removeDependency(...deps) {
        if (!this._dependencies) {
          this._dependencies = /* @__PURE__ */ new Set();
        }
        for (const d of deps) {
          this._dependencies.delete(d);
        }
      }
      /**
       * Constructs that this construct depends on directly
       *
       * This expands the sets of `Dependables` to the set of `Constructs` that they
       * represent.
       */
      get dependencies() {
        const result = new Array();
        if (this._dependencies) {
          for (const dep of this._dependencies) {
            for (const root of dependency_1.Dependable.of(dep).dependencyRoots) {
              result.push(root);
            }
          }
        }
        return result;
      }
      /**
       * Remove the child with the given name, if present.
       *
       * @returns Whether a child with the given name was deleted.
       */
      tryRemoveChild(childName) {
        if (!this._children || !(childName in this._children)) {
          return false;
        }
        delete this._children[childName];
        return true;
      }
      /**
       * Adds a validation to this construct.
       *
       * When `node.validate()` is called, the `validate()` method will be called on
       * all validations and all errors will be returned.
       *
       * @param validation The validation object
       */
      addValidation(validation) {
        if (!this._validations) {
          this._validations = [];
        }
        this._validations.push(validation);
      }
      /**
       * Validates this construct.
       *
       * Invokes the `validate()` method on all validations added through
       * `addValidation()`.
       *
       * @returns an array of validation error messages associated with this
       * construct.
       */
      validate() {
        return (this._validations ?? []).flatMap((v) => v.validate());
      }
      /**
       * Locks this construct from allowing more children to be added. After this
       * call, no more children can be added to this construct or to any children.
       */
      lock() {
        this._locked = true;
      }
      /**
       * Applies one or more mixins to this construct.
       *
       * Mixins are applied in order. The list of constructs is captured at the
       * start of the call, so constructs added by a mixin will not be visited.
       * Use multiple `with()` calls if subsequent mixins should apply to added
       * constructs.
       *
       * @param mixins The mixins to apply
       * @returns This construct for chaining
       */
      with(...mixins) {
        const allConstructs = this.findAll();
        for (const mixin of mixins) {
          for (const construct of allConstructs) {
            if (mixin.supports(construct)) {
              mixin.applyTo(construct);
            }
          }
        }
        return this.host;
      }
      /**
       * Adds a child construct to this node.
       *
       * @param child The child construct
       * @param childName The type name of the child construct.
       * @returns The resolved path part name of the child
       */
      addChild(child, childName) {
        if (this.locked) {
          if (!this.path) {
            throw new Error("Cannot add children during synthesis");
          }
          throw new Error(`Cannot add children to "${this.path}" during synthesis`);
        }
        if (!this._children) {
          this._children = {};
        }
        if (this._children[childName]) {
          const name = this.id ?? "";
          const typeName = this.host.constructor.name;
          throw new Error(`There is already a Construct with name '${childName}' in ${typeName}${name.length > 0 ? " [" + name + "]" : ""}`);
        }
        this._children[childName] = child;
      }
    };
    exports.Node = Node;
    var Construct3 = class {
      static [JSII_RTTI_SYMBOL_1] = { fqn: "constructs.Construct", version: "10.8.1" };
      /**
       * Checks if `x` is a construct.
       *
       * Use this method instead of `instanceof` to properly detect `Construct`
       * instances, even when the construct library is symlinked.
       *
       * Explanation: in JavaScript, multiple copies of the `constructs` library on
       * disk are seen as independent, completely different libraries. As a
       * consequence, the class `Construct` in each copy of the `constructs` library
       * is seen as a different class, and an instance of one class will not test as
       * `instanceof` the other class. `npm install` will not create installations
       * like this, but users may manually symlink construct libraries together or
       * use a monorepo tool: in those cases, multiple copies of the `constructs`
       * library can be accidentally installed, and `instanceof` will behave
       * unpredictably. It is safest to avoid using `instanceof`, and using
       * this type-testing method instead.
       *
       * @returns true if `x` is an object created from a class which extends `Construct`.
       * @param x Any object
       */
      static isConstruct(x) {
        return x && typeof x === "object" && x[CONSTRUCT_SYM];
      }
      /**
       * The tree node.
       */
      node;
      /**
       * Creates a new construct node.
       *
       * @param scope The scope in which to define this construct
       * @param id The scoped construct ID. Must be unique amongst siblings. If
       * the ID includes a path separator (`/`) or a newline, then it will be
       * replaced by double dash `--`.
       */
      constructor(scope, id) {
        this.node = new Node(this, scope, id);
        dependency_1.Dependable.implement(this, {
          dependencyRoots: [this]
        });
      }
      /**
       * Applies one or more mixins to this construct.
       *
       * Mixins are applied in order. The list of constructs is captured at the
       * start of the call, so constructs added by a mixin will not be visited.
       * Use multiple `with()` calls if subsequent mixins should apply to added
       * constructs.
       *
       * @param mixins The mixins to apply
       * @returns This construct for chaining
       */
      with(...mixins) {
        return this.node.with(...mixins);
      }
      /**
       * Returns a string representation of this construct.
       */
      toString() {
        return this.node.path || "<root>";
      }
    };
    exports.Construct = Construct3;
    var ConstructOrder;
    (function(ConstructOrder2) {
      ConstructOrder2[ConstructOrder2["PREORDER"] = 0] = "PREORDER";
      ConstructOrder2[ConstructOrder2["POSTORDER"] = 1] = "POSTORDER";
    })(ConstructOrder || (exports.ConstructOrder = ConstructOrder = {}));
    var SEP_REGEX = new RegExp(`[${Node.PATH_SEP}${node_addr_1.ADDR_SEP}]`, "g");
    function sanitizeId(id) {
      return id.replace(SEP_REGEX, "--");
    }
    Object.defineProperty(Construct3.prototype, CONSTRUCT_SYM, {
      value: true,
      enumerable: false,
      writable: false
    });
    var RootConstruct = class extends Construct3 {
      static [JSII_RTTI_SYMBOL_1] = { fqn: "constructs.RootConstruct", version: "10.8.1" };
      /**
       * Creates a new root construct node.
       *
       * @param id The scoped construct ID. Must be unique amongst siblings. If
       * the ID includes a path separator (`/`) or a newline, then it will be
       * replaced by double dash `--`.
       */
      constructor(id) {
        super(void 0, id ?? "");
      }
    };
    exports.RootConstruct = RootConstruct;
  }
});

// node_modules/constructs/lib/index.js
var require_lib = __commonJS({
  "node_modules/constructs/lib/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
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
    }));
    var __exportStar = exports && exports.__exportStar || function(m, exports2) {
      for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports2, p)) __createBinding(exports2, m, p);
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    __exportStar(require_construct(), exports);
    __exportStar(require_dependency(), exports);
  }
});

// node_modules/cdktf/lib/errors.js
var require_errors = __commonJS({
  "node_modules/cdktf/lib/errors.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.unableToResolveCircularReference = exports.intrinsicNewError = exports.argToIntrinsicMustBePlainValue = exports.indexTooLargeToEncode = exports.canOnlyEncodePositiveIntegers = exports.doesNotImplementDependableTrait = exports.cannotConcatenateStringsInTokenizedMap = exports.mapValueAddedToReferenceList = exports.numberValueAddedToReferenceList = exports.cannotConcatenateStringsInTokenizedStringArray = exports.stringValueAddedToReferenceList = exports.cannotCalcIdForEmptySetOfComponents = exports.functionArgumentValidationFailure = exports.functionReceivedWrongNumberOfArgs = exports.listElementIsOfWrongType = exports.valueIsInvalidNumberOrToken = exports.valueIsInvalidStringOrToken = exports.encounteredAnnotationWithLevelError = exports.valueContainsUnescapedQuotes = exports.cloudBackendWorkspaceIsNotDefinedByName = exports.constructDependencyBelowV10 = exports.sourceOrTargetNotAnObject = exports.targetNotResolvableWithOverrides = exports.invalidStack = exports.expectNotGloballyAccessible = exports.jestNotInstantiated = exports.matchersFoundErrorsInStack = exports.matchersPathIsNotDirectory = exports.stackValidationFailure = exports.stackHasCircularDependency = exports.noStackForConstruct = exports.stackIdContainsWhitespace = exports.stackContainsDisallowedChar = exports.resourceGivenTwoMoveOperationsByTarget = exports.resourceGivenTwoMoveOperationsById = exports.resourceGivenTwoMoveOperationsByTargetAndId = exports.movedToResourceOfDifferentType = exports.moveTargetNotSet = exports.moveTargetAlreadySet = exports.modulesWithSameAlias = exports.iteratorOnResourceWithoutForEach = exports.iteratorOnResourceWithCount = exports.unresolvedTokenInConstructId = exports.dynamicBlockNotSupported = exports.assetTypeNotImplemented = exports.assetExpectsDirectory = exports.assetOutOfScopeOfCDKTFJson = exports.providerVersionMismatch = exports.appValidationFailure = exports.noAppFound = void 0;
    exports.terraformModuleHasChildren = exports.assetCanNotCreateZipArchive = exports.IdIncludesUnresolvedTokens = exports.unrecognizedTokenKey = exports.unknownNumberTokenFound = exports.mapKeyMustResolveToString = exports.constructsCannotBeResolved = exports.encodedMapTokenInScalarNumberContext = exports.encodedMapTokenInScalarStringContext = exports.encodedListTokenInScalarStringContext = exports.cannotResolveFunction = void 0;
    var noAppFound = (constructPath) => new Error(`No app could be identified for the construct at path '${constructPath}' (likely a TerraformStack).
The scope of CDKTF's TerraformStack class is a single App instance created by 'const app = new App()'. The App is your project's root, holding project configuration and validations.
Learn more about the App: https://developer.hashicorp.com/terraform/cdktf/concepts/cdktf-architecture#app-class:~:text=and%20Resource.-,App%20Class,-Each%20CDKTF%20project
    `);
    exports.noAppFound = noAppFound;
    var appValidationFailure = (errorList) => new Error(`App-level validation failed with the following errors:
  ${errorList}
Validations allow for dynamic verification of your project.
To skip validations, add 'skipValidation: true' to your App config.
    `);
    exports.appValidationFailure = appValidationFailure;
    var providerVersionMismatch = () => new Error(`Version mismatch detected: Your provider bindings are built for an older version of CDKTF.
Upgrade your pre-built provider or re-run cdktf get with a more recent version (>= 0.10) of the cdktf-cli.
    `);
    exports.providerVersionMismatch = providerVersionMismatch;
    var assetOutOfScopeOfCDKTFJson = (id, configPath) => new Error(`TerraformAsset ${id} was created with a relative path '${configPath}', but we cannot find the cdktf.json within your current working directory '${process.cwd()}'

The cdktf.json file is needed to establish the base for the relative path (the '.' in './foo/bar').

Place a cdktf.json at the root of your project. Learn more: https://developer.hashicorp.com/terraform/cdktf/create-and-deploy/configuration-file
Learn more about TerraformAsset: https://developer.hashicorp.com/terraform/cdktf/concepts/assets
`);
    exports.assetOutOfScopeOfCDKTFJson = assetOutOfScopeOfCDKTFJson;
    var assetExpectsDirectory = (id, configPath) => new Error(`TerraformAsset ${id} expects path to point to a directory. Instead, this file was passed: '${configPath}'. Please correct the path to point to a directory.
Learn more about TerraformAsset: https://developer.hashicorp.com/terraform/cdktf/concepts/assets
    `);
    exports.assetExpectsDirectory = assetExpectsDirectory;
    var assetTypeNotImplemented = () => new Error(`Asset type is not implemented.
Possible Asset types include: FILE, DIRECTORY, and ARCHIVE.
Take one of these values from the AssetType Enum.
Learn more about TerraformAsset: https://developer.hashicorp.com/terraform/cdktf/concepts/assets
  `);
    exports.assetTypeNotImplemented = assetTypeNotImplemented;
    var dynamicBlockNotSupported = (_foreachExpression) => new Error(`We do not support directly resolving a TerraformDynamicBlock. Dynamic blocks are only supported on block attributes of resources, data sources, and providers.

You can create a TerraformDynamicBlock by calling '.dynamic' on a TerraformIterator instance.

The following expression was used for the dynamic block: .dynamic({
  ${_foreachExpression}
})
`);
    exports.dynamicBlockNotSupported = dynamicBlockNotSupported;
    var unresolvedTokenInConstructId = (id) => new Error(`You cannot use a token (e.g., a reference to an attribute) as the id of a construct. Ids of constructs must be known at synthesis time, and token values are only known when Terraform runs. Please use a concrete value for your constructs ID instead.
You passed the following id: "${id}"
`);
    exports.unresolvedTokenInConstructId = unresolvedTokenInConstructId;
    var iteratorOnResourceWithCount = () => new Error(`You cannot create an iterator from a resource with a count argument.
Instead, reuse this resource's TerraformCount instance in the resource you want to use as an iterator.

If you want to use an iterator to populate a list attribute, replace the count on the resource with an iterator passed into the forEach argument.`);
    exports.iteratorOnResourceWithCount = iteratorOnResourceWithCount;
    var iteratorOnResourceWithoutForEach = () => new Error(`Cannot create an iterator from a resource without a forEach argument. If you want to create more instances of this resource, pass an iterator to the forEach argument of the resource first.
  `);
    exports.iteratorOnResourceWithoutForEach = iteratorOnResourceWithoutForEach;
    var modulesWithSameAlias = (alias) => new Error(`Multiple providers have the same alias: "${alias}"
Each provider must have a unique alias when passing multiple providers of the same type to modules.
  `);
    exports.modulesWithSameAlias = modulesWithSameAlias;
    var moveTargetAlreadySet = (target, friendlyUniqueId) => new Error(`Target "${target}" has already been used for the construct ${friendlyUniqueId}.
Target must be a string that is unique across all resources in the same stack.`);
    exports.moveTargetAlreadySet = moveTargetAlreadySet;
    var moveTargetNotSet = (target, entries) => new Error(`Target "${target}" has not been set.
You tried to move a resource without a target.
Call .addMoveTarget("${target}") on the instance of the resource you want to move this resource to.

Alternatively, you can use one of the following targets (in case you had a typo):
${entries}
`);
    exports.moveTargetNotSet = moveTargetNotSet;
    var movedToResourceOfDifferentType = (moveTarget, originalResourceType, destinationResourceType) => new Error(`We do not support moving resources to a different type.

The destination "${moveTarget}"'s resource type ${destinationResourceType} differs from the original resource type (${originalResourceType}) you are trying to move.

If this was intentional, try importing the existing resource into your target instead. Learn more:
https://developer.hashicorp.com/terraform/cdktf/concepts/resources#importing-resources

Note that you must manually remove the original resource from your state file after importing it. Use the "terraform state rm" command in the output directory of the stack you defined this resource in. Learn more:
https://developer.hashicorp.com/terraform/cli/commands/state/rm
`);
    exports.movedToResourceOfDifferentType = movedToResourceOfDifferentType;
    var resourceGivenTwoMoveOperationsByTargetAndId = (id, existingTarget, newMove) => new Error(`
The resource ${id} has been given two different move operations.

Move target: "${existingTarget}"
Move by id: {
  from: ${newMove.from}
  to: ${newMove.to}
}

Only one move operation can occur per plan/apply. Remove one of the operations.

Learn more about moving resources: https://developer.hashicorp.com/terraform/cdktf/examples-and-guides/refactoring#:~:text=Moving%20%26%20Renaming%20Resources%20Within%20a%20Stack
`);
    exports.resourceGivenTwoMoveOperationsByTargetAndId = resourceGivenTwoMoveOperationsByTargetAndId;
    var resourceGivenTwoMoveOperationsById = (id, existingMove, newMove) => new Error(`
The resource ${id} has been given two different move operations.

{
  from: ${existingMove.from}
  to: ${existingMove.to}
}
{
  from: ${newMove.from}
  to: ${newMove.to} (Resource calling the move to operation)
}

Only one move operation can occur per plan/apply. Remove one of the operations.

Learn more about moving resources: https://developer.hashicorp.com/terraform/cdktf/examples-and-guides/refactoring#:~:text=Moving%20%26%20Renaming%20Resources%20Within%20a%20Stack
`);
    exports.resourceGivenTwoMoveOperationsById = resourceGivenTwoMoveOperationsById;
    var resourceGivenTwoMoveOperationsByTarget = (resourceId, existingMoveTarget, newMoveTarget) => new Error(`The resource ${resourceId} has been given two different moveTargets: "${newMoveTarget}" and "${existingMoveTarget}"

A resource can only be moved once per plan/apply.

Learn more about moving resources: https://developer.hashicorp.com/terraform/cdktf/examples-and-guides/refactoring#:~:text=Moving%20%26%20Renaming%20Resources%20Within%20a%20Stack
`);
    exports.resourceGivenTwoMoveOperationsByTarget = resourceGivenTwoMoveOperationsByTarget;
    var stackContainsDisallowedChar = (stackId, invalidChar) => new Error(`Cannot create Terraform stack with id "${stackId}". It contains an invalid glob character: "${invalidChar}".

Glob characters are not supported in stack names because we use them to deploy and destroy multiple stacks. For example, 'cdktf deploy \`*-production\`' deploys all stacks with names that end in '-production'.
`);
    exports.stackContainsDisallowedChar = stackContainsDisallowedChar;
    var stackIdContainsWhitespace = (stackId) => new Error(`Cannot create TerraformStack with id "${stackId}". It contains a whitespace character.

Please remove any whitespace characters in your TerraformStack id, like so: "${stackId.replace(/\s/g, "")}"
`);
    exports.stackIdContainsWhitespace = stackIdContainsWhitespace;
    var noStackForConstruct = (constructPath, hint) => new Error(`No stack could be identified for the construct at path '${constructPath}'${hint}

You can only use constructs as part of a TerraformStack.

To learn more about Constructs vs. TerraformStacks, refer to: https://developer.hashicorp.com/terraform/cdktf/concepts/constructs#:~:text=Constructs%20vs.%20Stacks
`);
    exports.noStackForConstruct = noStackForConstruct;
    var stackHasCircularDependency = (thisStack, dependency) => new Error(`Cannot add dependency ${dependency} to ${thisStack}, because it would cause a circular dependency.

TerraformStack ${dependency} is already dependent on ${thisStack} directly, or dependent on a TerraformStack within ${thisStack}.

To learn more about circular dependency references, refer to: https://developer.hashicorp.com/terraform/cdktf/concepts/stacks#:~:text=Cross%2DStack%20References
`);
    exports.stackHasCircularDependency = stackHasCircularDependency;
    var stackValidationFailure = (errorList) => new Error(`Validation failed with the following errors:
  ${errorList}

If you wish to ignore these validations, pass 'skipValidation: true' to your App configuration.
`);
    exports.stackValidationFailure = stackValidationFailure;
    var matchersPathIsNotDirectory = (functionName) => new Error(`Path is not a directory.

Ensure you are passing the result of Testing.fullSynth('stack instance') to '${functionName}', not Testing.synth('stack instance').

Testing.fullSynth returns a file path to a temporary testing environment. Testing.synth returns the JSON representation of your stack.

To learn more about testing in CDKTF, refer to: https://developer.hashicorp.com/terraform/cdktf/test/unit-tests`);
    exports.matchersPathIsNotDirectory = matchersPathIsNotDirectory;
    var matchersFoundErrorsInStack = (errorCount, stackName, diagnostics) => new Error(`Found ${errorCount} Errors in stack ${stackName}: ${diagnostics}

These errors are not test failures, but issues with the underlying TerraformStack being tested. Fix the above issues before running your tests again.
`);
    exports.matchersFoundErrorsInStack = matchersFoundErrorsInStack;
    var jestNotInstantiated = () => new Error(`Jest was not properly instantiated.

Ensure you have a 'setup.js' file in your project's directory that calls 'cdktf.Testing.setupJest()'.

To learn more about setting up testing, refer to: https://developer.hashicorp.com/terraform/cdktf/test/unit-tests#:~:text=Add%20Testing%20to%20Your%20Application
`);
    exports.jestNotInstantiated = jestNotInstantiated;
    var expectNotGloballyAccessible = () => new Error(`The expect function is not globally accessible.

To learn more about setting up testing, refer to: https://developer.hashicorp.com/terraform/cdktf/test/unit-tests#:~:text=Add%20Testing%20to%20Your%20Application
`);
    exports.expectNotGloballyAccessible = expectNotGloballyAccessible;
    var invalidStack = (functionName, stackContent) => new Error(`Invalid JSON string passed: ${stackContent}


Ensure you are passing the result of Testing.synth('stack instance') to '${functionName}', not Testing.fullSynth('stack instance').


Testing.synth returns the JSON representation of your stack. CDKTF can use assertions with this JSON to check the composition of your stacks, like so: "Testing.toHaveResource(Testing.synth('TerraformStack instance'), S3Bucket)"

Testing.fullSynth returns a file path to a temporary testing environment.

To learn more about testing in CDKTF, refer to: https://developer.hashicorp.com/terraform/cdktf/test/unit-tests
`);
    exports.invalidStack = invalidStack;
    var targetNotResolvableWithOverrides = (target) => new Error(`Target (${target}) cannot be a resolvable token if you specified overrides. Replace the value of the field you are overriding with a static value.

To learn more about Tokens, refer to: https://developer.hashicorp.com/terraform/cdktf/concepts/tokens
`);
    exports.targetNotResolvableWithOverrides = targetNotResolvableWithOverrides;
    var sourceOrTargetNotAnObject = (source, sourceType, target, targetType) => new Error(`An issue occurred during the synthesization of your Terraform configuration.

Both the source element (${source}) and its containing target element (${target}) must be objects.

Type of source: ${sourceType}
Type of target: ${targetType}
`);
    exports.sourceOrTargetNotAnObject = sourceOrTargetNotAnObject;
    var constructDependencyBelowV10 = () => new Error(`Version mismatch! CDKTF version 0.6 requires your constructs version to be v10 or above.

Update your constructs dependency: https://cdk.tf/upgrade-constructs-v10
`);
    exports.constructDependencyBelowV10 = constructDependencyBelowV10;
    var cloudBackendWorkspaceIsNotDefinedByName = () => new Error(`The Cloud backend only supports cross-stack references if the workspace is defined by name (not by tags).

To use cross-stack references, replace all mentions of 'TaggedCloudWorkspaces' with 'NamedCloudWorkspace', like so:

new CloudBackend(stack, {
  ...
  workspaces: new NamedCloudWorkspace("my-app"),
});

To learn more about Remote Backends, refer to: https://developer.hashicorp.com/terraform/cdktf/concepts/remote-backends
`);
    exports.cloudBackendWorkspaceIsNotDefinedByName = cloudBackendWorkspaceIsNotDefinedByName;
    var valueContainsUnescapedQuotes = (value) => new Error(`Your value, '${value}', has unescaped double quotes in it, so it cannot be used as a value.

To safely use the value, use Fn.rawString on your string, like so:

Fn.rawString('${value}')

Doing this ensures CDKTF and Terraform interpret your values correctly.

To learn more about built in Terraform functions within CDKTF, refer to: https://developer.hashicorp.com/terraform/cdktf/concepts/functions
`);
    exports.valueContainsUnescapedQuotes = valueContainsUnescapedQuotes;
    var encounteredAnnotationWithLevelError = (errors) => new Error(`Encountered Annotations with level "ERROR":
${errors}

Either fix the issues above, or set the environment variable CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS to ignore these annotations.
`);
    exports.encounteredAnnotationWithLevelError = encounteredAnnotationWithLevelError;
    var valueIsInvalidStringOrToken = (value) => new Error(`'${value}' is not a valid string nor a token. This function only accepts strings or tokens resolving to strings. Please change your code accordingly.`);
    exports.valueIsInvalidStringOrToken = valueIsInvalidStringOrToken;
    var valueIsInvalidNumberOrToken = (value) => new Error(`${value} is not a valid number nor a token. This function only accepts numbers or tokens resolving to numbers. Please change your code accordingly.`);
    exports.valueIsInvalidNumberOrToken = valueIsInvalidNumberOrToken;
    var listElementIsOfWrongType = (value, position, error) => new Error(`Element in list ${value} at position ${position} is not the right type: ${error}.
    Please ensure all elements in the list are the correct type for this function.`);
    exports.listElementIsOfWrongType = listElementIsOfWrongType;
    var functionReceivedWrongNumberOfArgs = (name, argValidatorsLength, argsLength) => new Error(`Function ${name} takes ${argValidatorsLength} arguments, but ${argsLength} were provided. Please add the missing arguments to the function.`);
    exports.functionReceivedWrongNumberOfArgs = functionReceivedWrongNumberOfArgs;
    var functionArgumentValidationFailure = (argNumber, name, error) => new Error(`Argument ${argNumber} of ${name} failed the validation: ${error}. Please change your code to pass a valid value for this argument.`);
    exports.functionArgumentValidationFailure = functionArgumentValidationFailure;
    var cannotCalcIdForEmptySetOfComponents = () => new Error(`Unable to calculate a unique id for an empty set of components.

    This happens when you attempt to create a unique id, but do not pass in any construct node ids. This means your construct likely has no parent, which is not allowed.

    Please make sure your construct has a parent. For example: 'new App(this)' or 'new TerraformStack(this, 'stack')'.`);
    exports.cannotCalcIdForEmptySetOfComponents = cannotCalcIdForEmptySetOfComponents;
    var stringValueAddedToReferenceList = (listToken) => new Error(`Cannot add elements to list token, got: ${listToken}.

    We expect the elements of a tokenized string array to be a single token string. For example, ["&{TfToken[Token.1]}"].

    One element in your array consists of more than a single value. To add values to a tokenized list, use Terraform functions instead. For example: 'Fn.concat([yourReferencedList, ["my", "new", "items"]])'.`);
    exports.stringValueAddedToReferenceList = stringValueAddedToReferenceList;
    var cannotConcatenateStringsInTokenizedStringArray = (listToken) => new Error(`Cannot concatenate strings in a tokenized string array, got: ${listToken}.

    We expect the elements of a tokenized string array to be a single token string. For example, ["&{TfToken[Token.1]}"]. One element in your array consists of something other than a single token.

    You are likely mutating the value inside your array, which CDKTF cannot resolve into the appropriate runtime value.`);
    exports.cannotConcatenateStringsInTokenizedStringArray = cannotConcatenateStringsInTokenizedStringArray;
    var numberValueAddedToReferenceList = (listToken) => new Error(`Cannot add elements to list token, got: ${listToken}.

    We use tokens to represent runtime values (e.g., references to attributes of resource or data sources). List tokens don't contain the actual values because those are only available at apply time, whereas tokens are present during compile time.

    If you want to add a value to a tokenized list, use a Terraform function instead. For example: Fn.concat([yourReferencedList, [42, 43, 44]]).`);
    exports.numberValueAddedToReferenceList = numberValueAddedToReferenceList;
    var mapValueAddedToReferenceList = (mapToken) => new Error(`Cannot add elements to map token, got: ${mapToken}. This can happen if you merge multiple maps, or if you add a new key value pair to the map token.

    We use tokens to represent runtime values (e.g., references to attributes of resource or data sources). List tokens don't contain the actual values because those are only available at apply time, whereas tokens are present during compile time.

    Instead of adding the value to the tokenized map, use a Terraform function. For example: Fn.merge([yourReferencedMap, { your: 'value' }]). This creates a new map Token for a value, which could get rendered as:
    merge(my_resource.resource_name.one_specific_map_attribute, { your: ' value' })`);
    exports.mapValueAddedToReferenceList = mapValueAddedToReferenceList;
    var cannotConcatenateStringsInTokenizedMap = (tokenizedMap) => new Error(`Cannot concatenate strings in a tokenized map, got: ${tokenizedMap}.

    We expect the elements of a tokenized string array to be a single token string. For example, ["&{TfToken[Token.1]}"]. A key in your map consists of more than a string token (e.g., the Token and a static string or multiple Tokens).

    This can happen if you mutate the key of the map. Do not mutate tokenized Maps, because it makes it impossible for CDKTF to translate them.`);
    exports.cannotConcatenateStringsInTokenizedMap = cannotConcatenateStringsInTokenizedMap;
    var doesNotImplementDependableTrait = (instance) => new Error(`${instance} does not implement DependableTrait`);
    exports.doesNotImplementDependableTrait = doesNotImplementDependableTrait;
    var canOnlyEncodePositiveIntegers = () => new Error(`Can only encode positive integers into Tokens. This is a bug in CDKTF, please file a bug report.`);
    exports.canOnlyEncodePositiveIntegers = canOnlyEncodePositiveIntegers;
    var indexTooLargeToEncode = (index) => new Error(`Received an index too large to encode into a Token :${index}.

    This happens if you have too many Tokens in a single CDKTF application. This can also occur if you are accidentally creating numeric tokens in an infinite loop. For example, calling 'Token.asNumber()' too many times.

    If you reach the maximum number of allowed Tokens (a limitation imposed by the way we encode Tokens and separate them from real numeric values) you can work around this issue by dividing a single application into multiple applications.`);
    exports.indexTooLargeToEncode = indexTooLargeToEncode;
    var argToIntrinsicMustBePlainValue = (value, creationStack) => new Error(`You can only use a plain value (not a function) while creating an Intrinsic token. We received the value '${value}' created at:
${creationStack.join("\n")}. If you want to use a function, please use the Lazy class. For example:  Lazy.anyValue({ produce: () => "Hello World" }).`);
    exports.argToIntrinsicMustBePlainValue = argToIntrinsicMustBePlainValue;
    var intrinsicNewError = (message, createdAt) => new Error(`${message}
Token created:
    at ${createdAt}
Error thrown:`);
    exports.intrinsicNewError = intrinsicNewError;
    var unableToResolveCircularReference = (pathName) => new Error(`Unable to resolve object tree with circular reference at '${pathName}'.

The depth of your object tree is over 200, indicating you probably have a cyclical reference. Inspect the construct creating this cyclic reference (most likely in '${pathName}') and ensure it does not infinitely nest constructs.`);
    exports.unableToResolveCircularReference = unableToResolveCircularReference;
    var cannotResolveFunction = (pathName, obj) => new Error(`Trying to resolve a non-data object (e.g., a function) at '${pathName}': ${obj}. Only tokens are supported for lazy evaluation.

If you want to use a lazily computed value, use the Lazy class. For example:  Lazy.stringValue({ produce: () => "Hello World" })`);
    exports.cannotResolveFunction = cannotResolveFunction;
    var LIST_ERROR_EXPLANATION = `In CDKTF, we represent lists, with values unknown until after runtime, as arrays with a single element\u2014 a string token (["Token.1"]).


We do this because CDKTF does not know the length of the list at compile time, meaning CDKTF has yet to invoke Terraform to communicate with the cloud provider. CDKTF later invokes Terraform on the synthesized static JSON file.

Because we don't know the length of the list, we can not differentiate if the list was accessed at the first or last index, or as part of a loop. To avoid this ambiguity:

- If you want to access a singular item, use 'Fn.element(list, 0)'. Do not use 'list[0]'.
- If you want to loop over the list use 'TerraformIterator.fromList(list)'. Do not use a 'for' or 'forEach' loop.

Learn more about tokens: https://developer.hashicorp.com/terraform/cdktf/concepts/tokens
Learn more about iterators: https://developer.hashicorp.com/terraform/cdktf/concepts/iterators`;
    var MAP_ERROR_EXPLANATION = `
In CDKTF, we represent maps, with values unknown until after runtime, as objects with a single key-value pair where the value is a string token. For example: '{ "&{TfToken[Token.1]}": "String Map Token Value" }'.

We do this because CDKTF does not know the length of the list at compile time, meaning CDKTF has yet to invoke Terraform to communicate with the cloud provider. CDKTF later invokes Terraform on the synthesized static JSON file.

Because we don't know the contents of the map, we can not differentiate if the map was accessed, or used as part of a loop. To avoid this ambiguity:

- To access a singular item use 'Fn.lookup(map, key)'. Do not use 'map[key]'.
- If you want to loop over the map use 'TerraformIterator.fromMap(map)'. Do not use a 'for' loop or iterate over 'Object.entries(map)' with 'forEach'.

Learn more about tokens: https://developer.hashicorp.com/terraform/cdktf/concepts/tokens
Learn more about iterators: https://developer.hashicorp.com/terraform/cdktf/concepts/iterators`;
    var encodedListTokenInScalarStringContext = () => new Error(`Found an encoded list token string in a scalar string context.
${LIST_ERROR_EXPLANATION}`);
    exports.encodedListTokenInScalarStringContext = encodedListTokenInScalarStringContext;
    var encodedMapTokenInScalarStringContext = () => new Error(`Found an encoded map token in a scalar string context.
${MAP_ERROR_EXPLANATION}`);
    exports.encodedMapTokenInScalarStringContext = encodedMapTokenInScalarStringContext;
    var encodedMapTokenInScalarNumberContext = () => new Error(`Found an encoded map token in a scalar number context.
${MAP_ERROR_EXPLANATION}`);
    exports.encodedMapTokenInScalarNumberContext = encodedMapTokenInScalarNumberContext;
    var constructsCannotBeResolved = (pathName) => new Error(`Trying to 'resolve()' a Construct at '${pathName}'.

This often means an unintended cyclic dependency in your construct tree, leading to the resolution stuck in an infinite loop that fails.
This can happen if the scope passed into this construct is also part of its subtree.

To resolve this issue, refactor your code to avoid this cyclic dependency by changing the scope of this construct.`);
    exports.constructsCannotBeResolved = constructsCannotBeResolved;
    var mapKeyMustResolveToString = (pathName, key, resolvedKey) => new Error(`At "${pathName}" a map uses the key "${key}", meaning that key must resolve to a string. However, it resolves to a ${typeof resolvedKey} with the value ${JSON.stringify(resolvedKey)}. To fix this, change the Token to resolve to a string.`);
    exports.mapKeyMustResolveToString = mapKeyMustResolveToString;
    var unknownTokenExplanation = `This means you are trying to access a Token value that does not exist. This can only happen if the Token is from another CDK (i.e., AWS CDK, CDK8s, etc.) and is unknown to this CDKTF Application. You either need to make the other CDK resolve this Token before CDKTF tries to resolve it, or work around using this Token at all.

If this error occurs without another CDK (or a value looking like a Token) involved, please file a bug.`;
    var unknownNumberTokenFound = () => new Error(`Encoded representation of unknown number Token found. ${unknownTokenExplanation}`);
    exports.unknownNumberTokenFound = unknownNumberTokenFound;
    var unrecognizedTokenKey = (key) => new Error(`Unrecognized Token Key '${key}'. ${unknownTokenExplanation}`);
    exports.unrecognizedTokenKey = unrecognizedTokenKey;
    var IdIncludesUnresolvedTokens = (unresolvedTokens) => new Error(`This construct (or its parent construct) is configured with an ID that contains a Token: ${unresolvedTokens}. This is not allowed because IDs must be known statically during synthesis. Token values are only known during the apply stage, therefore they cannot be used in IDs. Please use a concrete value for your constructs ID instead.`);
    exports.IdIncludesUnresolvedTokens = IdIncludesUnresolvedTokens;
    var assetCanNotCreateZipArchive = (src, dest, error) => new Error(`A TerraformAsset trying to zip archive '${src}' into ${dest} failed: ${error}`);
    exports.assetCanNotCreateZipArchive = assetCanNotCreateZipArchive;
    var terraformModuleHasChildren = (pathName) => {
      return new Error(`Trying to add children to a TerraformModule at '${pathName}'. TerraformModules cannot have children, if you want to group resources or constructs in general together please use the Constructs class instead. See https://cdk.tf/constructs for more details.`);
    };
    exports.terraformModuleHasChildren = terraformModuleHasChildren;
  }
});

// node_modules/cdktf/lib/validateEnvironment.js
var require_validateEnvironment = __commonJS({
  "node_modules/cdktf/lib/validateEnvironment.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateEnvironment = validateEnvironment;
    var constructs_1 = require_lib();
    var errors_1 = require_errors();
    function validateEnvironment() {
      validateConstructsIsV10();
    }
    function validateConstructsIsV10() {
      const construct = new constructs_1.Construct(null, "test");
      if (typeof construct.node === "undefined") {
        throw (0, errors_1.constructDependencyBelowV10)();
      }
    }
  }
});

// node_modules/cdktf/lib/tokens/private/stack-trace.js
var require_stack_trace2 = __commonJS({
  "node_modules/cdktf/lib/tokens/private/stack-trace.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.captureStackTrace = captureStackTrace;
    function captureStackTrace(below) {
      below = below || captureStackTrace;
      const object = { stack: "" };
      const previousLimit = Error.stackTraceLimit;
      try {
        Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
        Error.captureStackTrace(object, below);
      } finally {
        Error.stackTraceLimit = previousLimit;
      }
      if (!object.stack) {
        return [];
      }
      return object.stack.split("\n").slice(1).map((s) => s.replace(/^\s*at\s+/, ""));
    }
  }
});

// node_modules/cdktf/lib/tokens/string-fragments.js
var require_string_fragments = __commonJS({
  "node_modules/cdktf/lib/tokens/string-fragments.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TokenizedStringFragments = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var token_1 = require_token();
    var TokenizedStringFragments = class _TokenizedStringFragments {
      constructor() {
        this.fragments = new Array();
      }
      /**
       * Returns the first token.
       */
      get firstToken() {
        const first = this.fragments[0];
        if (first.type === "token") {
          return first.token;
        }
        return void 0;
      }
      /**
       * Returns the first value.
       */
      get firstValue() {
        return fragmentValue(this.fragments[0]);
      }
      /**
       * Returns the number of fragments.
       */
      get length() {
        return this.fragments.length;
      }
      /**
       * Adds a literal fragment
       * @param lit the literal to add
       */
      addLiteral(lit) {
        this.fragments.push({ type: "literal", lit });
      }
      /**
       * Adds a token fragment
       * @param token the token to add
       */
      addToken(token) {
        this.fragments.push({ type: "token", token });
      }
      /**
       * Adds an intrinsic fragment
       * @param value the intrinsic value to add
       */
      addIntrinsic(value) {
        this.fragments.push({ type: "intrinsic", value });
      }
      addEscape(kind) {
        this.fragments.push({ type: "escape", kind });
      }
      concat(other) {
        this.fragments.push(...other.fragments);
      }
      /**
       * Return all Tokens from this string
       */
      get tokens() {
        const ret = new Array();
        for (const f of this.fragments) {
          if (f.type === "token") {
            ret.push(f.token);
          }
        }
        return ret;
      }
      /**
       * Return all literals from this string
       */
      get literals() {
        const ret = new Array();
        for (const f of this.fragments) {
          if (f.type === "literal") {
            ret.push(f.lit);
          }
        }
        return ret;
      }
      /**
       * Return all intrinsic fragments from this string
       */
      get intrinsic() {
        const ret = new Array();
        for (const f of this.fragments) {
          if (f.type === "intrinsic") {
            ret.push(f.value);
          }
        }
        return ret;
      }
      /**
       * Return all escape fragments from this string
       */
      get escapes() {
        const ret = new Array();
        for (const f of this.fragments) {
          if (f.type === "escape") {
            if (f.kind === "open")
              ret.push("${");
            else
              ret.push("}");
          }
        }
        return ret;
      }
      /**
       * Apply a transformation function to all tokens in the string
       */
      mapTokens(context) {
        const ret = new _TokenizedStringFragments();
        const originalSupressBraces = context.suppressBraces;
        for (const f of this.fragments) {
          switch (f.type) {
            case "literal":
              ret.addLiteral(f.lit);
              break;
            case "escape":
              if (context.ignoreEscapes) {
                ret.addLiteral(f.kind === "open" ? "${" : "}");
                break;
              }
              ret.addEscape(f.kind);
              if (f.kind === "open") {
                context.suppressBraces = true;
              } else {
                context.suppressBraces = originalSupressBraces;
              }
              break;
            case "token":
              const mapped = context.resolve(f.token);
              if (token_1.Tokenization.isResolvable(mapped)) {
                ret.addToken(mapped);
              } else {
                ret.addIntrinsic(mapped);
              }
              break;
            case "intrinsic":
              ret.addIntrinsic(f.value);
              break;
          }
        }
        return ret;
      }
      /**
       * Combine the string fragments using the given joiner.
       *
       * If there are any
       */
      join(concat) {
        if (this.fragments.length === 0) {
          return concat.join(void 0, void 0);
        }
        if (this.fragments.length === 1) {
          return this.firstValue;
        }
        const values = this.fragments.map(fragmentValue);
        while (values.length > 1) {
          const prefix = values.splice(0, 2);
          values.splice(0, 0, concat.join(prefix[0], prefix[1]));
        }
        return values[0];
      }
    };
    exports.TokenizedStringFragments = TokenizedStringFragments;
    _a = JSII_RTTI_SYMBOL_1;
    TokenizedStringFragments[_a] = { fqn: "cdktf.TokenizedStringFragments", version: "0.21.0" };
    function fragmentValue(fragment) {
      switch (fragment.type) {
        case "literal":
          return fragment.lit;
        case "escape":
          return fragment.kind === "open" ? "${" : "}";
        case "token":
          return fragment.token.toString();
        case "intrinsic":
          return fragment.value;
      }
    }
  }
});

// node_modules/cdktf/lib/tokens/private/encoding.js
var require_encoding = __commonJS({
  "node_modules/cdktf/lib/tokens/private/encoding.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.NullConcat = exports.TokenString = exports.VALID_KEY_CHARS = exports.END_TOKEN_MARKER = exports.BEGIN_MAP_TOKEN_MARKER = exports.BEGIN_LIST_TOKEN_MARKER = exports.BEGIN_STRING_TOKEN_MARKER = void 0;
    exports.regexQuote = regexQuote;
    exports.containsStringListTokenElement = containsStringListTokenElement;
    exports.containsNumberListTokenElement = containsNumberListTokenElement;
    exports.containsMapToken = containsMapToken;
    exports.isComplexElement = isComplexElement;
    exports.containsComplexElement = containsComplexElement;
    exports.unresolved = unresolved;
    exports.createTokenDouble = createTokenDouble;
    exports.extractTokenDouble = extractTokenDouble;
    var errors_1 = require_errors();
    var string_fragments_1 = require_string_fragments();
    var token_1 = require_token();
    exports.BEGIN_STRING_TOKEN_MARKER = "${TfToken[";
    exports.BEGIN_LIST_TOKEN_MARKER = "#{TfToken[";
    exports.BEGIN_MAP_TOKEN_MARKER = "&{TfToken[";
    exports.END_TOKEN_MARKER = "]}";
    exports.VALID_KEY_CHARS = "a-zA-Z0-9:._-";
    var QUOTED_BEGIN_STRING_TOKEN_MARKER = regexQuote(exports.BEGIN_STRING_TOKEN_MARKER);
    var QUOTED_BEGIN_LIST_TOKEN_MARKER = regexQuote(exports.BEGIN_LIST_TOKEN_MARKER);
    var QUOTED_BEGIN_MAP_TOKEN_MARKER = regexQuote(exports.BEGIN_MAP_TOKEN_MARKER);
    var QUOTED_END_TOKEN_MARKER = regexQuote(exports.END_TOKEN_MARKER);
    var STRING_TOKEN_REGEX = new RegExp(`${QUOTED_BEGIN_STRING_TOKEN_MARKER}([${exports.VALID_KEY_CHARS}]+)${QUOTED_END_TOKEN_MARKER}`, "g");
    var LIST_TOKEN_REGEX = new RegExp(`${QUOTED_BEGIN_LIST_TOKEN_MARKER}([${exports.VALID_KEY_CHARS}]+)${QUOTED_END_TOKEN_MARKER}`, "g");
    var MAP_TOKEN_REGEX = new RegExp(`${QUOTED_BEGIN_MAP_TOKEN_MARKER}([${exports.VALID_KEY_CHARS}]+)${QUOTED_END_TOKEN_MARKER}`, "g");
    var NUMBER_TOKEN_REGEX = new RegExp("[-|\\d|.\\+]+(e[-|\\d|.|e|E|\\+]+)", "g");
    var ESCAPE_TOKEN_BEGIN_REGEX = /\$\{(?!TfToken\[)/g;
    var ESCAPE_TOKEN_END_REGEX = /\}/g;
    var TokenString = class _TokenString {
      /**
       * Returns a `TokenString` for this string.
       *
       * @param s The string to tokenize
       * @param includeEscapeSequences Whether to include escape sequences in the tokenization
       * @param warnIfEscapeSequences Whether to warn if escape sequences are found
       */
      static forString(s, includeEscapeSequences = false, warnIfEscapeSequences = false) {
        return new _TokenString(s, STRING_TOKEN_REGEX, 1, includeEscapeSequences, warnIfEscapeSequences);
      }
      /**
       * Returns a `TokenString` for this string (must be the first string element of the list)
       */
      static forListToken(s) {
        return new _TokenString(s, LIST_TOKEN_REGEX);
      }
      /**
       * Returns a `TokenString` for this string that handles encoded numbers
       */
      static forNumbers(s) {
        return new _TokenString(s, NUMBER_TOKEN_REGEX, 0);
      }
      /**
       * Returns a `TokenString` for this string that handles encoded maps
       */
      static forMapToken(s) {
        return new _TokenString(s, MAP_TOKEN_REGEX);
      }
      constructor(str, re, regexMatchIndex = 1, includeEscapeSequences = false, warnIfEscapeSequences = false) {
        this.str = str;
        this.re = re;
        this.regexMatchIndex = regexMatchIndex;
        this.includeEscapeSequences = includeEscapeSequences;
        this.warnIfEscapeSequences = warnIfEscapeSequences;
      }
      testForEscapeTokens(startIndex, maxIndex) {
        ESCAPE_TOKEN_BEGIN_REGEX.lastIndex = startIndex;
        let startMatch = ESCAPE_TOKEN_BEGIN_REGEX.exec(this.str);
        if (startMatch && startMatch.index >= maxIndex) {
          startMatch = null;
        }
        return !!startMatch;
      }
      nextEscapeToken(fragments, startIndex, escapeDepth, maxIndex) {
        ESCAPE_TOKEN_BEGIN_REGEX.lastIndex = startIndex;
        ESCAPE_TOKEN_END_REGEX.lastIndex = startIndex;
        let startMatch = ESCAPE_TOKEN_BEGIN_REGEX.exec(this.str);
        let endMatch = ESCAPE_TOKEN_END_REGEX.exec(this.str);
        if (startMatch && startMatch.index >= maxIndex) {
          startMatch = null;
        }
        if (endMatch && endMatch.index >= maxIndex) {
          endMatch = null;
        }
        if (!startMatch && !endMatch) {
          return {
            index: -1,
            escapeDepth
          };
        }
        if (startMatch && endMatch) {
          if (startMatch.index > startIndex && startMatch.index > startIndex) {
            const lede = this.str.substring(startIndex, Math.min(startMatch.index, endMatch.index));
            fragments.addLiteral(lede);
          }
          if (startMatch.index < endMatch.index) {
            fragments.addEscape("open");
            return {
              index: ESCAPE_TOKEN_BEGIN_REGEX.lastIndex,
              escapeDepth: escapeDepth + 1
            };
          }
          fragments.addEscape("close");
          return {
            index: ESCAPE_TOKEN_END_REGEX.lastIndex,
            escapeDepth: escapeDepth - 1
          };
        }
        if (startMatch) {
          if (startMatch.index > startIndex) {
            const lede = this.str.substring(startIndex, startMatch.index);
            fragments.addLiteral(lede);
          }
          fragments.addEscape("open");
          return {
            index: ESCAPE_TOKEN_BEGIN_REGEX.lastIndex,
            escapeDepth: escapeDepth + 1
          };
        }
        if (endMatch) {
          if (endMatch.index > startIndex) {
            const lede = this.str.substring(startIndex, endMatch.index);
            fragments.addLiteral(lede);
          }
          fragments.addEscape("close");
          return {
            index: ESCAPE_TOKEN_END_REGEX.lastIndex,
            escapeDepth: escapeDepth - 1
          };
        }
        return {
          index: -1,
          escapeDepth
        };
      }
      tokenizeNext(lookup, fragments, startIndex, escapeDepth) {
        this.re.lastIndex = startIndex;
        if (startIndex >= this.str.length) {
          return {
            index: -1,
            escapeDepth
          };
        }
        const match = this.re.exec(this.str);
        if (!match) {
          if (this.includeEscapeSequences) {
            const next = this.nextEscapeToken(fragments, startIndex, escapeDepth, this.str.length);
            if (next.index === -1) {
              fragments.addLiteral(this.str.substring(startIndex));
              return {
                index: -1,
                escapeDepth
              };
            } else {
              return next;
            }
          }
          fragments.addLiteral(this.str.substring(startIndex));
          return {
            index: -1,
            escapeDepth
          };
        }
        if (match.index > startIndex) {
          if (this.includeEscapeSequences) {
            const next = this.nextEscapeToken(fragments, startIndex, escapeDepth, match.index);
            if (next.index === -1) {
              fragments.addLiteral(this.str.substring(startIndex, match.index));
              return {
                index: match.index,
                escapeDepth
              };
            } else {
              return next;
            }
          }
          const lede = this.str.substring(startIndex, match.index);
          fragments.addLiteral(lede);
          return {
            index: match.index,
            escapeDepth
          };
        }
        const token = lookup(match[this.regexMatchIndex]);
        if (token) {
          fragments.addToken(token);
        } else {
          fragments.addLiteral(this.str.substring(match.index, this.re.lastIndex));
        }
        const nextIndex = this.re.lastIndex;
        return {
          index: nextIndex,
          escapeDepth
        };
      }
      /**
       * Split string on markers, substituting markers with Tokens
       */
      split(lookup) {
        const ret = new string_fragments_1.TokenizedStringFragments();
        let index = 0;
        let escapeDepth = 0;
        if (this.warnIfEscapeSequences && this.testForEscapeTokens(0, this.str.length)) {
          console.warn("You're using escape sequences (${...}) with CDKTF Built-in functions. This is not supported yet, and the output may be incorrect.");
          console.warn(this.str);
        }
        while (index >= 0) {
          const iter = this.tokenizeNext(lookup, ret, index, escapeDepth);
          index = iter.index;
          escapeDepth = iter.escapeDepth;
        }
        return ret;
      }
      /**
       * Indicates if this string includes tokens.
       */
      test() {
        this.re.lastIndex = 0;
        return this.re.test(this.str);
      }
    };
    exports.TokenString = TokenString;
    function regexQuote(s) {
      return s.replace(/[.?*+^$[\]\\(){}|-]/g, "\\$&");
    }
    var NullConcat = class {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      join(_left, _right) {
        return void 0;
      }
    };
    exports.NullConcat = NullConcat;
    function containsStringListTokenElement(xs) {
      return xs.some((x) => typeof x === "string" && TokenString.forListToken(x).test());
    }
    function containsNumberListTokenElement(xs) {
      return xs.some((x) => typeof x === "number" && extractTokenDouble(x, true) !== void 0);
    }
    function containsMapToken(xs) {
      return Object.keys(xs).some((x) => typeof x === "string" && TokenString.forMapToken(x).test());
    }
    function isComplexElement(xs) {
      return typeof xs === "object" && xs !== null && "withinArray" in xs && "interpolationAsList" in xs;
    }
    function containsComplexElement(xs) {
      return xs.length > 0 && isComplexElement(xs[0]);
    }
    function unresolved(obj) {
      if (typeof obj === "string") {
        return TokenString.forString(obj).test();
      } else if (typeof obj === "number") {
        return extractTokenDouble(obj, false) !== void 0;
      } else if (Array.isArray(obj) && obj.length === 1) {
        return typeof obj[0] === "string" && TokenString.forListToken(obj[0]).test() || typeof obj[0] === "number" && extractTokenDouble(obj[0], true) !== void 0;
      } else if (obj != null && containsMapToken(obj)) {
        return true;
      } else {
        return token_1.Tokenization.isResolvable(obj);
      }
    }
    var DOUBLE_TOKEN_MARKER_BITS = 65023 << 16;
    var DOUBLE_LIST_TOKEN_MARKER_BITS = 64511 << 16;
    var MAX_ENCODABLE_INTEGER = Math.pow(2, 48) - 1;
    var BITS32 = Math.pow(2, 32);
    function createTokenDouble(x, list) {
      if (Math.floor(x) !== x || x < 0) {
        throw (0, errors_1.canOnlyEncodePositiveIntegers)();
      }
      if (x > MAX_ENCODABLE_INTEGER) {
        throw (0, errors_1.indexTooLargeToEncode)(x);
      }
      const buf = new ArrayBuffer(8);
      const ints = new Uint32Array(buf);
      ints[0] = x & 4294967295;
      ints[1] = shr32(x) & 65535 | (list ? DOUBLE_LIST_TOKEN_MARKER_BITS : DOUBLE_TOKEN_MARKER_BITS);
      return new Float64Array(buf)[0];
    }
    function shr32(x) {
      return Math.floor(x / BITS32);
    }
    function shl32(x) {
      return x * BITS32;
    }
    function extractTokenDouble(encoded, list) {
      const buf = new ArrayBuffer(8);
      new Float64Array(buf)[0] = encoded;
      const ints = new Uint32Array(buf);
      if ((ints[1] & 4294901760) !== (list ? DOUBLE_LIST_TOKEN_MARKER_BITS : DOUBLE_TOKEN_MARKER_BITS)) {
        return void 0;
      }
      return ints[0] + shl32(ints[1] & 65535);
    }
  }
});

// node_modules/cdktf/lib/tokens/private/intrinsic.js
var require_intrinsic = __commonJS({
  "node_modules/cdktf/lib/tokens/private/intrinsic.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Intrinsic = void 0;
    var errors_1 = require_errors();
    var token_1 = require_token();
    var stack_trace_1 = require_stack_trace2();
    var Intrinsic = class {
      constructor(value) {
        this.creationStack = (0, stack_trace_1.captureStackTrace)();
        if (isFunction(value)) {
          throw (0, errors_1.argToIntrinsicMustBePlainValue)(value, this.creationStack);
        }
        this.value = value;
      }
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      resolve(_context) {
        return this.value;
      }
      /**
       * Convert an instance of this Token to a string
       *
       * This method will be called implicitly by language runtimes if the object
       * is embedded into a string. We treat it the same as an explicit
       * stringification.
       */
      toString() {
        return token_1.Token.asString(this);
      }
      /**
       * Turn this Token into JSON
       *
       * Called automatically when JSON.stringify() is called on a Token.
       */
      toJSON() {
        return `<unresolved-token>`;
      }
      /**
       * Creates a throwable Error object that contains the token creation stack trace.
       * @param message Error message
       */
      newError(message) {
        return (0, errors_1.intrinsicNewError)(message, this.creationStack.join("\n    at "));
      }
    };
    exports.Intrinsic = Intrinsic;
    function isFunction(x) {
      return typeof x === "function";
    }
  }
});

// node_modules/cdktf/lib/tokens/private/token-map.js
var require_token_map = __commonJS({
  "node_modules/cdktf/lib/tokens/private/token-map.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TokenMap = void 0;
    var errors_1 = require_errors();
    var encoding_1 = require_encoding();
    var glob = global;
    var STRING_SYMBOL = /* @__PURE__ */ Symbol.for("@cdktf/core.TokenMap.STRING");
    var LIST_SYMBOL = /* @__PURE__ */ Symbol.for("@cdktf/core.TokenMap.LIST");
    var NUMBER_SYMBOL = /* @__PURE__ */ Symbol.for("@cdktf/core.TokenMap.NUMBER");
    var NUMBER_LIST_SYMBOL = /* @__PURE__ */ Symbol.for("@cdktf/core.TokenMap.NUMBER_LIST");
    var MAP_SYMBOL = /* @__PURE__ */ Symbol.for("@cdktf/core.TokenMap.MAP");
    var TokenMap = class _TokenMap {
      constructor() {
        this.stringTokenMap = /* @__PURE__ */ new Map();
        this.numberTokenMap = /* @__PURE__ */ new Map();
        this.tokenCounter = 0;
      }
      /**
       * Singleton instance of the token string map
       */
      static instance() {
        if (!glob.__cdktfTokenMap) {
          glob.__cdktfTokenMap = new _TokenMap();
        }
        return glob.__cdktfTokenMap;
      }
      /**
       * Generate a unique string for this Token, returning a key
       *
       * Every call for the same Token will produce a new unique string, no
       * attempt is made to deduplicate. Token objects should cache the
       * value themselves, if required.
       *
       * The token can choose (part of) its own representation string with a
       * hint. This may be used to produce aesthetically pleasing and
       * recognizable token representations for humans.
       */
      registerString(token, displayHint) {
        return cachedValue(token, STRING_SYMBOL, () => {
          const key = this.registerStringKey(token, displayHint);
          return `${encoding_1.BEGIN_STRING_TOKEN_MARKER}${key}${encoding_1.END_TOKEN_MARKER}`;
        });
      }
      /**
       * Generate a unique string for this Token, returning a key
       */
      registerList(token, displayHint) {
        return cachedValue(token, LIST_SYMBOL, () => {
          const key = this.registerStringKey(token, displayHint);
          return [`${encoding_1.BEGIN_LIST_TOKEN_MARKER}${key}${encoding_1.END_TOKEN_MARKER}`];
        });
      }
      /**
       * Create a unique number representation for this Token and return it
       */
      registerNumberList(token) {
        return cachedValue(token, NUMBER_LIST_SYMBOL, () => {
          const key = this.registerNumberKey(token, true);
          return [key];
        });
      }
      /**
       * Create a unique number representation for this Token and return it
       */
      registerNumber(token) {
        return cachedValue(token, NUMBER_SYMBOL, () => {
          return this.registerNumberKey(token, false);
        });
      }
      /**
       * Generate a unique string for this Token, returning a key
       */
      registerMap(token, mapValue, displayHint) {
        return cachedValue(token, MAP_SYMBOL, () => {
          const key = this.registerStringKey(token, displayHint);
          return {
            [`${encoding_1.BEGIN_MAP_TOKEN_MARKER}${key}${encoding_1.END_TOKEN_MARKER}`]: mapValue
          };
        });
      }
      /**
       * Reverse a string representation into a Token object
       */
      lookupString(s) {
        const fragments = this.splitString(s);
        if (fragments.tokens.length > 0 && fragments.length === 1) {
          return fragments.firstToken;
        }
        return void 0;
      }
      /**
       * Reverse a string representation into a Token object
       */
      lookupList(xs) {
        if (xs.length !== 1) {
          return void 0;
        }
        const str = encoding_1.TokenString.forListToken(xs[0]);
        const fragments = str.split(this.lookupToken.bind(this));
        if (fragments.length === 1) {
          return fragments.firstToken;
        }
        return void 0;
      }
      /**
       * Reverse a string representation into a Token object
       */
      lookupMap(xs) {
        const keys = Object.keys(xs);
        if (keys.length !== 1) {
          return void 0;
        }
        const str = encoding_1.TokenString.forMapToken(keys[0]);
        const fragments = str.split(this.lookupToken.bind(this));
        if (fragments.length === 1) {
          return fragments.firstToken;
        }
        return void 0;
      }
      /**
       * Split a string into literals and Tokens
       */
      splitString(s) {
        const str = encoding_1.TokenString.forString(s);
        return str.split(this.lookupToken.bind(this));
      }
      /**
       * Reverse a number encoding into a Token, or undefined if the number wasn't a Token
       */
      lookupNumberToken(x) {
        const tokenIndex = (0, encoding_1.extractTokenDouble)(x, false);
        if (tokenIndex === void 0) {
          return void 0;
        }
        const t = this.numberTokenMap.get(tokenIndex);
        if (t === void 0) {
          throw (0, errors_1.unknownNumberTokenFound)();
        }
        return t;
      }
      /**
       * Reverse a number encoding into a Token, or undefined if the number wasn't a Token
       */
      lookupNumberList(xs) {
        if (xs.length !== 1) {
          return void 0;
        }
        const tokenIndex = (0, encoding_1.extractTokenDouble)(xs[0], true);
        if (tokenIndex === void 0) {
          return void 0;
        }
        const t = this.numberTokenMap.get(tokenIndex);
        if (t === void 0) {
          throw (0, errors_1.unknownNumberTokenFound)();
        }
        return t;
      }
      /**
       * Find a Token by key.
       *
       * This excludes the token markers.
       */
      lookupToken(key) {
        const token = this.stringTokenMap.get(key);
        if (!token) {
          throw (0, errors_1.unrecognizedTokenKey)(key);
        }
        return token;
      }
      registerStringKey(token, displayHint) {
        const counter = this.tokenCounter++;
        const representation = (displayHint || `TOKEN`).replace(new RegExp(`[^${encoding_1.VALID_KEY_CHARS}]`, "g"), ".");
        const key = `${representation}.${counter}`;
        this.stringTokenMap.set(key, token);
        return key;
      }
      registerNumberKey(token, list) {
        const counter = this.tokenCounter++;
        this.numberTokenMap.set(counter, token);
        return (0, encoding_1.createTokenDouble)(counter, list);
      }
    };
    exports.TokenMap = TokenMap;
    function cachedValue(x, sym, prod) {
      let cached = x[sym];
      if (cached === void 0) {
        cached = prod();
        Object.defineProperty(x, sym, { value: cached });
      }
      return cached;
    }
  }
});

// node_modules/cdktf/lib/tokens/resolvable.js
var require_resolvable = __commonJS({
  "node_modules/cdktf/lib/tokens/resolvable.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DefaultTokenResolver = exports.StringConcat = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var encoding_1 = require_encoding();
    var token_map_1 = require_token_map();
    var errors_1 = require_errors();
    var StringConcat = class {
      /**
       * Concatenates string fragments
       */
      join(left, right) {
        if (left === void 0) {
          return right !== void 0 ? `${right}` : void 0;
        }
        if (right === void 0) {
          return `${left}`;
        }
        return `${left}${right}`;
      }
    };
    exports.StringConcat = StringConcat;
    _a = JSII_RTTI_SYMBOL_1;
    StringConcat[_a] = { fqn: "cdktf.StringConcat", version: "0.21.0" };
    var DefaultTokenResolver = class {
      /**
       * Resolves tokens
       */
      constructor(concat) {
        this.concat = concat;
      }
      /**
       * Default Token resolution
       *
       * Resolve the Token, recurse into whatever it returns,
       * then finally post-process it.
       */
      resolveToken(t, context, postProcessor) {
        try {
          let resolved = t.resolve(context);
          resolved = context.resolve(resolved);
          resolved = postProcessor.postProcess(resolved, context);
          return resolved;
        } catch (e) {
          const err = e;
          let message = `Resolution error: ${err.message}.`;
          if (t.creationStack && t.creationStack.length > 0) {
            message += `
Object creation stack:
  at ${t.creationStack.join("\n  at ")}`;
          }
          err.message = message;
          throw err;
        }
      }
      /**
       * Resolve string fragments to Tokens
       */
      resolveString(fragments, context) {
        return fragments.mapTokens(context).join(this.concat);
      }
      /**
       * Resolves a list of string
       */
      resolveList(xs, context) {
        if (xs.length !== 1) {
          throw (0, errors_1.stringValueAddedToReferenceList)(xs);
        }
        const str = encoding_1.TokenString.forListToken(xs[0]);
        const tokenMap = token_map_1.TokenMap.instance();
        const fragments = str.split(tokenMap.lookupToken.bind(tokenMap));
        if (fragments.length !== 1) {
          throw (0, errors_1.cannotConcatenateStringsInTokenizedStringArray)(xs[0]);
        }
        return fragments.mapTokens(context).firstValue;
      }
      /**
       * Resolves a list of numbers
       */
      resolveNumberList(xs, context) {
        if (xs.length !== 1) {
          throw (0, errors_1.numberValueAddedToReferenceList)(xs);
        }
        const token = token_map_1.TokenMap.instance().lookupNumberList(xs);
        if (token === void 0) {
          return xs;
        }
        return context.resolve(token);
      }
      /**
       * Resolves a map token
       */
      resolveMap(xs, context) {
        const keys = Object.keys(xs);
        if (keys.length !== 1) {
          throw (0, errors_1.mapValueAddedToReferenceList)(JSON.stringify(xs));
        }
        const str = encoding_1.TokenString.forMapToken(keys[0]);
        const tokenMap = token_map_1.TokenMap.instance();
        const fragments = str.split(tokenMap.lookupToken.bind(tokenMap));
        if (fragments.length !== 1) {
          throw (0, errors_1.cannotConcatenateStringsInTokenizedMap)(xs[0]);
        }
        return fragments.mapTokens(context).firstValue;
      }
    };
    exports.DefaultTokenResolver = DefaultTokenResolver;
    _b = JSII_RTTI_SYMBOL_1;
    DefaultTokenResolver[_b] = { fqn: "cdktf.DefaultTokenResolver", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/tokens/private/resolve.js
var require_resolve = __commonJS({
  "node_modules/cdktf/lib/tokens/private/resolve.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.RememberingTokenResolver = void 0;
    exports.resolve = resolve;
    exports.findTokens = findTokens;
    var resolvable_1 = require_resolvable();
    var encoding_1 = require_encoding();
    var token_map_1 = require_token_map();
    var token_1 = require_token();
    var errors_1 = require_errors();
    var tokenMap = token_map_1.TokenMap.instance();
    function resolve(obj, options) {
      const prefix = options.prefix || [];
      const pathName = "/" + prefix.join("/");
      function makeContext(appendPath) {
        const newPrefix = appendPath !== void 0 ? prefix.concat([appendPath]) : options.prefix;
        let postProcessor;
        const context = {
          preparing: options.preparing,
          scope: options.scope,
          suppressBraces: options.previousContext?.suppressBraces,
          ignoreEscapes: options.previousContext?.ignoreEscapes,
          warnEscapes: options.previousContext?.warnEscapes,
          iteratorContext: options.previousContext?.iteratorContext,
          registerPostProcessor(pp) {
            postProcessor = pp;
          },
          resolve(x) {
            return resolve(x, {
              ...options,
              prefix: newPrefix,
              previousContext: context
            });
          }
        };
        return [
          context,
          {
            postProcess(x) {
              return postProcessor ? postProcessor.postProcess(x, context) : x;
            }
          }
        ];
      }
      if (prefix.length > 200) {
        throw (0, errors_1.unableToResolveCircularReference)(pathName);
      }
      if (typeof obj === "undefined") {
        return void 0;
      }
      if (obj === null) {
        return null;
      }
      if (typeof obj === "function") {
        throw (0, errors_1.cannotResolveFunction)(pathName, obj);
      }
      if (typeof obj === "string") {
        if (encoding_1.TokenString.forListToken(obj).test()) {
          throw (0, errors_1.encodedListTokenInScalarStringContext)();
        }
        if (obj === token_1.Token.STRING_MAP_TOKEN_VALUE || obj === token_1.Token.ANY_MAP_TOKEN_VALUE) {
          throw (0, errors_1.encodedMapTokenInScalarStringContext)();
        }
        let str = obj;
        const context = makeContext()[0];
        const tokenStr = encoding_1.TokenString.forString(str, !context.ignoreEscapes, context.warnEscapes);
        if (tokenStr.test()) {
          const fragments = tokenStr.split(tokenMap.lookupToken.bind(tokenMap));
          str = options.resolver.resolveString(fragments, makeContext()[0]);
        }
        const tokenNumberStr = encoding_1.TokenString.forNumbers(str);
        if (tokenNumberStr.test()) {
          const fragments = tokenNumberStr.split((id) => {
            return token_map_1.TokenMap.instance().lookupNumberToken(parseFloat(id));
          });
          const context2 = makeContext()[0];
          str = fragments.mapTokens(context2).join(new resolvable_1.StringConcat());
        }
        return str;
      }
      if (typeof obj === "number") {
        if (obj === token_1.Token.NUMBER_MAP_TOKEN_VALUE) {
          throw (0, errors_1.encodedMapTokenInScalarNumberContext)();
        }
        return resolveNumberToken(obj, makeContext()[0]);
      }
      if (typeof obj !== "object" || obj instanceof Date) {
        return obj;
      }
      if (Array.isArray(obj)) {
        if ((0, encoding_1.containsStringListTokenElement)(obj)) {
          return options.resolver.resolveList(obj, makeContext()[0]);
        }
        if ((0, encoding_1.containsNumberListTokenElement)(obj)) {
          return options.resolver.resolveNumberList(obj, makeContext()[0]);
        }
        const arr = obj.map((x, i) => makeContext(`${i}`)[0].resolve(x)).filter((x) => typeof x !== "undefined");
        return arr;
      }
      if ((0, encoding_1.containsMapToken)(obj)) {
        return options.resolver.resolveMap(obj, makeContext()[0]);
      }
      if ((0, encoding_1.unresolved)(obj)) {
        const [context, postProcessor] = makeContext();
        return options.resolver.resolveToken(obj, context, postProcessor);
      }
      if (isConstruct(obj)) {
        throw (0, errors_1.constructsCannotBeResolved)(pathName);
      }
      const result = {};
      for (const key of Object.keys(obj)) {
        const resolvedKey = makeContext()[0].resolve(key);
        if (typeof resolvedKey !== "string") {
          throw (0, errors_1.mapKeyMustResolveToString)(pathName, key, resolvedKey);
        }
        const value = makeContext(key)[0].resolve(obj[key]);
        if (typeof value === "undefined") {
          continue;
        }
        result[resolvedKey] = value;
      }
      return result;
    }
    function findTokens(scope, fn) {
      const resolver = new RememberingTokenResolver(new resolvable_1.StringConcat());
      resolve(fn(), { scope, prefix: [], resolver, preparing: true });
      return resolver.tokens;
    }
    var RememberingTokenResolver = class extends resolvable_1.DefaultTokenResolver {
      constructor() {
        super(...arguments);
        this.tokensSeen = /* @__PURE__ */ new Set();
      }
      resolveToken(t, context, postProcessor) {
        this.tokensSeen.add(t);
        return super.resolveToken(t, context, postProcessor);
      }
      resolveString(s, context) {
        const ret = super.resolveString(s, context);
        return ret;
      }
      get tokens() {
        return Array.from(this.tokensSeen);
      }
    };
    exports.RememberingTokenResolver = RememberingTokenResolver;
    function isConstruct(x) {
      return x._children !== void 0 && x._metadata !== void 0;
    }
    function resolveNumberToken(x, context) {
      const token = token_map_1.TokenMap.instance().lookupNumberToken(x);
      if (token === void 0) {
        return x;
      }
      return context.resolve(token);
    }
  }
});

// node_modules/cdktf/lib/tokens/token.js
var require_token = __commonJS({
  "node_modules/cdktf/lib/tokens/token.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Tokenization = exports.Token = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var lazy_1 = require_lazy();
    var encoding_1 = require_encoding();
    var intrinsic_1 = require_intrinsic();
    var resolve_1 = require_resolve();
    var token_map_1 = require_token_map();
    var Token2 = class _Token {
      /**
       * Returns true if obj represents an unresolved value
       *
       * One of these must be true:
       *
       * - `obj` is an IResolvable
       * - `obj` is a string containing at least one encoded `IResolvable`
       * - `obj` is either an encoded number or list
       *
       * This does NOT recurse into lists or objects to see if they
       * containing resolvables.
       *
       * @param obj The object to test.
       */
      static isUnresolved(obj) {
        return (0, encoding_1.unresolved)(obj);
      }
      /**
       * Return a reversible string representation of this token
       *
       * If the Token is initialized with a literal, the stringified value of the
       * literal is returned. Otherwise, a special quoted string representation
       * of the Token is returned that can be embedded into other strings.
       *
       * Strings with quoted Tokens in them can be restored back into
       * complex values with the Tokens restored by calling `resolve()`
       * on the string.
       */
      static asString(value, options = {}) {
        if (typeof value === "string") {
          return value;
        }
        return token_map_1.TokenMap.instance().registerString(_Token.asAny(value), options.displayHint);
      }
      /**
       * Return a reversible number representation of this token
       */
      static asNumber(value) {
        if (typeof value === "number") {
          return value;
        }
        return token_map_1.TokenMap.instance().registerNumber(_Token.asAny(value));
      }
      /**
       * Return a reversible list representation of this token
       */
      static asList(value, options = {}) {
        if (Array.isArray(value) && value.every((x) => typeof x === "string")) {
          return value;
        }
        return token_map_1.TokenMap.instance().registerList(_Token.asAny(value), options.displayHint);
      }
      /**
       * Return a reversible list representation of this token
       */
      static asNumberList(value) {
        if (Array.isArray(value) && value.every((x) => typeof x === "number")) {
          return value;
        }
        return token_map_1.TokenMap.instance().registerNumberList(_Token.asAny(value));
      }
      /**
       * Return a reversible map representation of this token
       */
      static asMap(value, mapValue, options = {}) {
        return token_map_1.TokenMap.instance().registerMap(_Token.asAny(value), mapValue, options.displayHint);
      }
      /**
       * Return a reversible map representation of this token
       */
      static asStringMap(value, options = {}) {
        return this.asMap(value, _Token.STRING_MAP_TOKEN_VALUE, options);
      }
      /**
       * Return a reversible map representation of this token
       */
      static asNumberMap(value, options = {}) {
        return this.asMap(value, _Token.NUMBER_MAP_TOKEN_VALUE, options);
      }
      /**
       * Return a reversible map representation of this token
       */
      static asBooleanMap(value, options = {}) {
        return this.asMap(value, true, options);
      }
      /**
       * Return a reversible map representation of this token
       */
      static asAnyMap(value, options = {}) {
        return this.asMap(value, _Token.ANY_MAP_TOKEN_VALUE, options);
      }
      /**
       * Return a resolvable representation of the given value
       */
      static asAny(value) {
        return Tokenization.isResolvable(value) ? value : new intrinsic_1.Intrinsic(value);
      }
      /**
       * Return a Token containing a `null` value
       *
       * Note: This is different than `undefined`, `nil`, `None` or similar
       * as it will end up in the Terraform config and can be used to explicitly
       * not set an attribute (which is sometimes required by Terraform providers)
       *
       * @returns a Token resolving to `null` as understood by Terraform
       */
      static nullValue() {
        return _Token.asAny(null);
      }
    };
    exports.Token = Token2;
    _a = JSII_RTTI_SYMBOL_1;
    Token2[_a] = { fqn: "cdktf.Token", version: "0.21.0" };
    Token2.STRING_MAP_TOKEN_VALUE = "String Map Token Value";
    Token2.NUMBER_MAP_TOKEN_VALUE = -123456789;
    Token2.ANY_MAP_TOKEN_VALUE = "Any Map Token Value";
    var Tokenization = class _Tokenization {
      /**
       * Reverse any value into Resolvables, if possible
       */
      static reverse(x) {
        if (_Tokenization.isResolvable(x)) {
          return [x];
        }
        if (typeof x === "string") {
          const reversedString = _Tokenization.reverseString(x);
          return [...reversedString.tokens, ...reversedString.intrinsic];
        }
        if (Array.isArray(x)) {
          const reversedList = _Tokenization.reverseList(x);
          if (reversedList) {
            return [reversedList];
          }
          const reversedNumberList = _Tokenization.reverseNumberList(x);
          return reversedNumberList ? [reversedNumberList] : [];
        }
        if (typeof x === "number") {
          const reversedNumber = _Tokenization.reverseNumber(x);
          return reversedNumber ? [reversedNumber] : [];
        }
        if (typeof x === "object" && x !== null) {
          const reversedMap = _Tokenization.reverseMap(x);
          return reversedMap ? [reversedMap] : [];
        }
        return [];
      }
      /**
       * Un-encode a string potentially containing encoded tokens
       */
      static reverseString(s) {
        return token_map_1.TokenMap.instance().splitString(s);
      }
      /**
       * Un-encode a Tokenized value from a number
       */
      static reverseNumber(n) {
        return token_map_1.TokenMap.instance().lookupNumberToken(n);
      }
      /**
       * Un-encode a Tokenized value from a list
       */
      static reverseList(l) {
        return token_map_1.TokenMap.instance().lookupList(l);
      }
      /**
       * Un-encode a Tokenized value from a list
       */
      static reverseNumberList(l) {
        return token_map_1.TokenMap.instance().lookupNumberList(l);
      }
      /**
       * Un-encode a Tokenized value from a map
       */
      static reverseMap(m) {
        return token_map_1.TokenMap.instance().lookupMap(m);
      }
      /**
       * Resolves an object by evaluating all tokens and removing any undefined or empty objects or arrays.
       * Values can only be primitives, arrays or tokens. Other objects (i.e. with methods) will be rejected.
       *
       * @param obj The object to resolve.
       * @param options Prefix key path components for diagnostics.
       */
      static resolve(obj, options) {
        return (0, resolve_1.resolve)(obj, {
          scope: options.scope,
          resolver: options.resolver,
          preparing: options.preparing !== void 0 ? options.preparing : false
        });
      }
      /**
       * Return whether the given object is an IResolvable object
       *
       * This is different from Token.isUnresolved() which will also check for
       * encoded Tokens, whereas this method will only do a type check on the given
       * object.
       */
      static isResolvable(obj) {
        return typeof obj === "object" && obj !== null && typeof obj.resolve === "function";
      }
      /**
       * Stringify a number directly or lazily if it's a Token. If it is an object (i.e., { Ref: 'SomeLogicalId' }), return it as-is.
       */
      static stringifyNumber(x) {
        if (Token2.isUnresolved(x)) {
          return lazy_1.Lazy.stringValue({
            produce: (context) => {
              const resolved = context.resolve(x);
              return typeof resolved !== "number" ? resolved : `${resolved}`;
            }
          });
        } else {
          return typeof x !== "number" ? x : `${x}`;
        }
      }
    };
    exports.Tokenization = Tokenization;
    _b = JSII_RTTI_SYMBOL_1;
    Tokenization[_b] = { fqn: "cdktf.Tokenization", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/tokens/lazy.js
var require_lazy = __commonJS({
  "node_modules/cdktf/lib/tokens/lazy.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.LazyBase = exports.Lazy = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var stack_trace_1 = require_stack_trace2();
    var token_1 = require_token();
    var Lazy = class {
      /**
       * Returns a stringified token for a lazy value.
       * @param producer The producer
       * @param options Options
       */
      static stringValue(producer, options = {}) {
        return token_1.Token.asString(new LazyString(producer), options);
      }
      /**
       * Returns a numberified token for a lazy value.
       * @param producer The producer
       */
      static numberValue(producer) {
        return token_1.Token.asNumber(new LazyNumber(producer));
      }
      /**
       * Returns a list-ified token for a lazy value.
       * @param producer The producer
       * @param options Options
       */
      static listValue(producer, options = {}) {
        return token_1.Token.asList(new LazyList(producer, options), options);
      }
      /**
       * Produces a lazy token from an untyped value.
       * @param producer The lazy producer
       * @param options Options
       */
      static anyValue(producer, options = {}) {
        return new LazyAny(producer, options);
      }
    };
    exports.Lazy = Lazy;
    _a = JSII_RTTI_SYMBOL_1;
    Lazy[_a] = { fqn: "cdktf.Lazy", version: "0.21.0" };
    var LazyBase = class {
      constructor() {
        this.postProcessors = [];
        this.creationStack = (0, stack_trace_1.captureStackTrace)();
      }
      resolve(context) {
        return this.postProcessors.reduce((val, pp) => pp.postProcess(val, context), this.resolveLazy(context));
      }
      toString() {
        return token_1.Token.asString(this);
      }
      // will be invoked when this Lazy's resolve() method is called
      addPostProcessor(postProcessor) {
        this.postProcessors.push(postProcessor);
      }
      /**
       * Turn this Token into JSON
       *
       * Called automatically when JSON.stringify() is called on a Token.
       */
      toJSON() {
        return "<unresolved-lazy>";
      }
    };
    exports.LazyBase = LazyBase;
    _b = JSII_RTTI_SYMBOL_1;
    LazyBase[_b] = { fqn: "cdktf.LazyBase", version: "0.21.0" };
    var LazyString = class extends LazyBase {
      constructor(producer) {
        super();
        this.producer = producer;
      }
      resolveLazy(context) {
        return this.producer.produce(context);
      }
    };
    var LazyNumber = class extends LazyBase {
      constructor(producer) {
        super();
        this.producer = producer;
      }
      resolveLazy(context) {
        return this.producer.produce(context);
      }
    };
    var LazyList = class extends LazyBase {
      constructor(producer, options = {}) {
        super();
        this.producer = producer;
        this.options = options;
      }
      resolveLazy(context) {
        const ret = this.producer.produce(context);
        if (ret !== void 0 && ret.length === 0 && this.options.omitEmpty) {
          return void 0;
        }
        return ret;
      }
    };
    var LazyAny = class extends LazyBase {
      constructor(producer, options = {}) {
        super();
        this.producer = producer;
        this.options = options;
      }
      resolveLazy(context) {
        const ret = this.producer.produce(context);
        if (Array.isArray(ret) && ret.length === 0 && this.options.omitEmptyArray) {
          return void 0;
        }
        return ret;
      }
    };
  }
});

// node_modules/cdktf/lib/tokens/index.js
var require_tokens = __commonJS({
  "node_modules/cdktf/lib/tokens/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
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
    }));
    var __exportStar = exports && exports.__exportStar || function(m, exports2) {
      for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports2, p)) __createBinding(exports2, m, p);
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    __exportStar(require_lazy(), exports);
    __exportStar(require_resolvable(), exports);
    __exportStar(require_string_fragments(), exports);
    __exportStar(require_token(), exports);
  }
});

// node_modules/cdktf/lib/_tokens.js
var require_tokens2 = __commonJS({
  "node_modules/cdktf/lib/_tokens.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.resolve = resolve;
    var tokens_1 = require_tokens();
    var TOKEN_RESOLVER = new tokens_1.DefaultTokenResolver(new tokens_1.StringConcat());
    function resolve(scope, obj, preparing = false) {
      return tokens_1.Tokenization.resolve(obj, {
        scope,
        preparing,
        resolver: TOKEN_RESOLVER
      });
    }
  }
});

// node_modules/cdktf/package.json
var require_package = __commonJS({
  "node_modules/cdktf/package.json"(exports, module) {
    module.exports = {
      name: "cdktf",
      version: "0.21.0",
      description: "Cloud Development Kit for Terraform",
      scripts: {
        build: "jsii --silence-warnings reserved-word",
        docs: "node ./scripts/generate-documentation.js",
        watch: "jsii -w --silence-warnings reserved-word",
        "watch-preserve-output": "tsc -w --preserveWatchOutput",
        package: "jsii-pacmak && bash ./go-copyright-header.sh",
        "package:python": "jsii-pacmak --targets python",
        "package:java": "jsii-pacmak --targets java",
        "package:dotnet": "jsii-pacmak --targets dotnet",
        "package:js": "jsii-pacmak --targets js",
        "package:go": "jsii-pacmak --targets go",
        lint: "eslint .",
        test: "jest --passWithNoTests && yarn lint",
        "test:ci": "jest --ci --passWithNoTests && yarn lint",
        "dist-clean": "rm -rf dist"
      },
      main: "lib/index.js",
      types: "lib/index.d.ts",
      keywords: [
        "cdk",
        "cdktf",
        "terraform"
      ],
      jsii: {
        outdir: "dist",
        versionFormat: "short",
        license: "MPL-2.0",
        author: {
          name: "HashiCorp, Inc.",
          organization: true
        },
        targets: {
          python: {
            distName: "cdktf",
            module: "cdktf"
          },
          java: {
            package: "com.hashicorp.cdktf",
            maven: {
              groupId: "com.hashicorp",
              artifactId: "cdktf"
            }
          },
          dotnet: {
            packageId: "HashiCorp.Cdktf",
            namespace: "HashiCorp.Cdktf"
          },
          go: {
            moduleName: "github.com/hashicorp/terraform-cdk-go",
            packageName: "cdktf"
          }
        }
      },
      author: {
        name: "HashiCorp",
        url: "https://hashicorp.com"
      },
      homepage: "https://github.com/hashicorp/terraform-cdk",
      repository: {
        type: "git",
        url: "https://github.com/hashicorp/terraform-cdk.git",
        directory: "packages/cdktf"
      },
      license: "MPL-2.0",
      devDependencies: {
        "@eslint/eslintrc": "^3.3.1",
        "@eslint/js": "^9.27.0",
        "@types/archiver": "6.0.3",
        "@types/jest": "29.5.14",
        "@types/json-stable-stringify": "1.2.0",
        "@types/minimatch": "5.1.2",
        "@types/node": "18.19.101",
        "@types/semver": "7.7.0",
        "@typescript-eslint/eslint-plugin": "^8.32.1",
        "@typescript-eslint/parser": "^8.32.1",
        constructs: "10.4.2",
        eslint: "^9.27.0",
        "eslint-plugin-jsdoc": "^50.6.17",
        "eslint-plugin-no-instanceof": "1.0.1",
        jest: "^29.7.0",
        jsii: "5.8.9",
        "jsii-docgen": "10.7.4",
        "jsii-pacmak": "1.112.0",
        "ts-jest": "29.3.4",
        typescript: "5.4.5"
      },
      dependencies: {
        archiver: "7.0.1",
        "json-stable-stringify": "1.3.0",
        semver: "7.7.2"
      },
      bundledDependencies: [
        "archiver",
        "json-stable-stringify",
        "semver"
      ],
      stability: "experimental",
      peerDependencies: {
        constructs: "^10.4.2"
      }
    };
  }
});

// node_modules/cdktf/lib/annotations.js
var require_annotations = __commonJS({
  "node_modules/cdktf/lib/annotations.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Annotations = exports.DISABLE_STACK_TRACE_IN_METADATA = exports.AnnotationMetadataEntryType = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var AnnotationMetadataEntryType;
    (function(AnnotationMetadataEntryType2) {
      AnnotationMetadataEntryType2["INFO"] = "@cdktf/info";
      AnnotationMetadataEntryType2["WARN"] = "@cdktf/warn";
      AnnotationMetadataEntryType2["ERROR"] = "@cdktf/error";
    })(AnnotationMetadataEntryType || (exports.AnnotationMetadataEntryType = AnnotationMetadataEntryType = {}));
    exports.DISABLE_STACK_TRACE_IN_METADATA = "@cdktf/disable_stack_trace_in_metadata";
    var Annotations = class _Annotations {
      /**
       * Returns the annotations API for a construct scope.
       * @param scope The scope
       */
      static of(scope) {
        return new _Annotations(scope);
      }
      constructor(scope) {
        this.scope = scope;
        const disableTrace = scope.node.tryGetContext(exports.DISABLE_STACK_TRACE_IN_METADATA) || false;
        this.stackTraces = !disableTrace;
      }
      /**
       * Adds a warning metadata entry to this construct.
       *
       * The CLI will display the warning when an app is synthesized.
       * In a future release the CLI might introduce a --strict flag which
       * will then fail the synthesis if it encounters a warning.
       *
       * @param message The warning message.
       */
      addWarning(message) {
        this.addMessage(AnnotationMetadataEntryType.WARN, message);
      }
      /**
       * Adds an info metadata entry to this construct.
       *
       * The CLI will display the info message when apps are synthesized.
       *
       * @param message The info message.
       */
      addInfo(message) {
        this.addMessage(AnnotationMetadataEntryType.INFO, message);
      }
      /**
       * Adds an { "error": <message> } metadata entry to this construct.
       * The toolkit will fail synthesis when errors are reported.
       * @param message The error message.
       */
      addError(message) {
        this.addMessage(AnnotationMetadataEntryType.ERROR, message);
      }
      /**
       * Adds a message metadata entry to the construct node, to be displayed by the CDK CLI.
       * @param level The message level
       * @param message The message itself
       */
      addMessage(level, message) {
        this.scope.node.addMetadata(level, message, {
          stackTrace: this.stackTraces
        });
      }
    };
    exports.Annotations = Annotations;
    _a = JSII_RTTI_SYMBOL_1;
    Annotations[_a] = { fqn: "cdktf.Annotations", version: "0.21.0" };
  }
});

// node_modules/cdktf/node_modules/jsonify/lib/parse.js
var require_parse = __commonJS({
  "node_modules/cdktf/node_modules/jsonify/lib/parse.js"(exports, module) {
    "use strict";
    var at;
    var ch;
    var escapee = {
      '"': '"',
      "\\": "\\",
      "/": "/",
      b: "\b",
      f: "\f",
      n: "\n",
      r: "\r",
      t: "	"
    };
    var text;
    function error(m) {
      throw {
        name: "SyntaxError",
        message: m,
        at,
        text
      };
    }
    function next(c) {
      if (c && c !== ch) {
        error("Expected '" + c + "' instead of '" + ch + "'");
      }
      ch = text.charAt(at);
      at += 1;
      return ch;
    }
    function number() {
      var num;
      var str = "";
      if (ch === "-") {
        str = "-";
        next("-");
      }
      while (ch >= "0" && ch <= "9") {
        str += ch;
        next();
      }
      if (ch === ".") {
        str += ".";
        while (next() && ch >= "0" && ch <= "9") {
          str += ch;
        }
      }
      if (ch === "e" || ch === "E") {
        str += ch;
        next();
        if (ch === "-" || ch === "+") {
          str += ch;
          next();
        }
        while (ch >= "0" && ch <= "9") {
          str += ch;
          next();
        }
      }
      num = Number(str);
      if (!isFinite(num)) {
        error("Bad number");
      }
      return num;
    }
    function string() {
      var hex;
      var i;
      var str = "";
      var uffff;
      if (ch === '"') {
        while (next()) {
          if (ch === '"') {
            next();
            return str;
          } else if (ch === "\\") {
            next();
            if (ch === "u") {
              uffff = 0;
              for (i = 0; i < 4; i += 1) {
                hex = parseInt(next(), 16);
                if (!isFinite(hex)) {
                  break;
                }
                uffff = uffff * 16 + hex;
              }
              str += String.fromCharCode(uffff);
            } else if (typeof escapee[ch] === "string") {
              str += escapee[ch];
            } else {
              break;
            }
          } else {
            str += ch;
          }
        }
      }
      error("Bad string");
    }
    function white() {
      while (ch && ch <= " ") {
        next();
      }
    }
    function word() {
      switch (ch) {
        case "t":
          next("t");
          next("r");
          next("u");
          next("e");
          return true;
        case "f":
          next("f");
          next("a");
          next("l");
          next("s");
          next("e");
          return false;
        case "n":
          next("n");
          next("u");
          next("l");
          next("l");
          return null;
        default:
          error("Unexpected '" + ch + "'");
      }
    }
    function array() {
      var arr = [];
      if (ch === "[") {
        next("[");
        white();
        if (ch === "]") {
          next("]");
          return arr;
        }
        while (ch) {
          arr.push(value());
          white();
          if (ch === "]") {
            next("]");
            return arr;
          }
          next(",");
          white();
        }
      }
      error("Bad array");
    }
    function object() {
      var key;
      var obj = {};
      if (ch === "{") {
        next("{");
        white();
        if (ch === "}") {
          next("}");
          return obj;
        }
        while (ch) {
          key = string();
          white();
          next(":");
          if (Object.prototype.hasOwnProperty.call(obj, key)) {
            error('Duplicate key "' + key + '"');
          }
          obj[key] = value();
          white();
          if (ch === "}") {
            next("}");
            return obj;
          }
          next(",");
          white();
        }
      }
      error("Bad object");
    }
    function value() {
      white();
      switch (ch) {
        case "{":
          return object();
        case "[":
          return array();
        case '"':
          return string();
        case "-":
          return number();
        default:
          return ch >= "0" && ch <= "9" ? number() : word();
      }
    }
    module.exports = function(source, reviver) {
      var result;
      text = source;
      at = 0;
      ch = " ";
      result = value();
      white();
      if (ch) {
        error("Syntax error");
      }
      return typeof reviver === "function" ? (function walk(holder, key) {
        var k;
        var v;
        var val = holder[key];
        if (val && typeof val === "object") {
          for (k in value) {
            if (Object.prototype.hasOwnProperty.call(val, k)) {
              v = walk(val, k);
              if (typeof v === "undefined") {
                delete val[k];
              } else {
                val[k] = v;
              }
            }
          }
        }
        return reviver.call(holder, key, val);
      })({ "": result }, "") : result;
    };
  }
});

// node_modules/cdktf/node_modules/jsonify/lib/stringify.js
var require_stringify = __commonJS({
  "node_modules/cdktf/node_modules/jsonify/lib/stringify.js"(exports, module) {
    "use strict";
    var escapable = /[\\"\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0604\u070f\u17b4\u17b5\u200c-\u200f\u2028-\u202f\u2060-\u206f\ufeff\ufff0-\uffff]/g;
    var gap;
    var indent;
    var meta = {
      // table of character substitutions
      "\b": "\\b",
      "	": "\\t",
      "\n": "\\n",
      "\f": "\\f",
      "\r": "\\r",
      '"': '\\"',
      "\\": "\\\\"
    };
    var rep;
    function quote(string) {
      escapable.lastIndex = 0;
      return escapable.test(string) ? '"' + string.replace(escapable, function(a) {
        var c = meta[a];
        return typeof c === "string" ? c : "\\u" + ("0000" + a.charCodeAt(0).toString(16)).slice(-4);
      }) + '"' : '"' + string + '"';
    }
    function str(key, holder) {
      var i;
      var k;
      var v;
      var length;
      var mind = gap;
      var partial;
      var value = holder[key];
      if (value && typeof value === "object" && typeof value.toJSON === "function") {
        value = value.toJSON(key);
      }
      if (typeof rep === "function") {
        value = rep.call(holder, key, value);
      }
      switch (typeof value) {
        case "string":
          return quote(value);
        case "number":
          return isFinite(value) ? String(value) : "null";
        case "boolean":
        case "null":
          return String(value);
        case "object":
          if (!value) {
            return "null";
          }
          gap += indent;
          partial = [];
          if (Object.prototype.toString.apply(value) === "[object Array]") {
            length = value.length;
            for (i = 0; i < length; i += 1) {
              partial[i] = str(i, value) || "null";
            }
            v = partial.length === 0 ? "[]" : gap ? "[\n" + gap + partial.join(",\n" + gap) + "\n" + mind + "]" : "[" + partial.join(",") + "]";
            gap = mind;
            return v;
          }
          if (rep && typeof rep === "object") {
            length = rep.length;
            for (i = 0; i < length; i += 1) {
              k = rep[i];
              if (typeof k === "string") {
                v = str(k, value);
                if (v) {
                  partial.push(quote(k) + (gap ? ": " : ":") + v);
                }
              }
            }
          } else {
            for (k in value) {
              if (Object.prototype.hasOwnProperty.call(value, k)) {
                v = str(k, value);
                if (v) {
                  partial.push(quote(k) + (gap ? ": " : ":") + v);
                }
              }
            }
          }
          v = partial.length === 0 ? "{}" : gap ? "{\n" + gap + partial.join(",\n" + gap) + "\n" + mind + "}" : "{" + partial.join(",") + "}";
          gap = mind;
          return v;
        default:
      }
    }
    module.exports = function(value, replacer, space) {
      var i;
      gap = "";
      indent = "";
      if (typeof space === "number") {
        for (i = 0; i < space; i += 1) {
          indent += " ";
        }
      } else if (typeof space === "string") {
        indent = space;
      }
      rep = replacer;
      if (replacer && typeof replacer !== "function" && (typeof replacer !== "object" || typeof replacer.length !== "number")) {
        throw new Error("JSON.stringify");
      }
      return str("", { "": value });
    };
  }
});

// node_modules/cdktf/node_modules/jsonify/index.js
var require_jsonify = __commonJS({
  "node_modules/cdktf/node_modules/jsonify/index.js"(exports) {
    "use strict";
    exports.parse = require_parse();
    exports.stringify = require_stringify();
  }
});

// node_modules/cdktf/node_modules/isarray/index.js
var require_isarray = __commonJS({
  "node_modules/cdktf/node_modules/isarray/index.js"(exports, module) {
    var toString = {}.toString;
    module.exports = Array.isArray || function(arr) {
      return toString.call(arr) == "[object Array]";
    };
  }
});

// node_modules/cdktf/node_modules/object-keys/isArguments.js
var require_isArguments = __commonJS({
  "node_modules/cdktf/node_modules/object-keys/isArguments.js"(exports, module) {
    "use strict";
    var toStr = Object.prototype.toString;
    module.exports = function isArguments(value) {
      var str = toStr.call(value);
      var isArgs = str === "[object Arguments]";
      if (!isArgs) {
        isArgs = str !== "[object Array]" && value !== null && typeof value === "object" && typeof value.length === "number" && value.length >= 0 && toStr.call(value.callee) === "[object Function]";
      }
      return isArgs;
    };
  }
});

// node_modules/cdktf/node_modules/object-keys/implementation.js
var require_implementation = __commonJS({
  "node_modules/cdktf/node_modules/object-keys/implementation.js"(exports, module) {
    "use strict";
    var keysShim;
    if (!Object.keys) {
      has = Object.prototype.hasOwnProperty;
      toStr = Object.prototype.toString;
      isArgs = require_isArguments();
      isEnumerable = Object.prototype.propertyIsEnumerable;
      hasDontEnumBug = !isEnumerable.call({ toString: null }, "toString");
      hasProtoEnumBug = isEnumerable.call(function() {
      }, "prototype");
      dontEnums = [
        "toString",
        "toLocaleString",
        "valueOf",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "constructor"
      ];
      equalsConstructorPrototype = function(o) {
        var ctor = o.constructor;
        return ctor && ctor.prototype === o;
      };
      excludedKeys = {
        $applicationCache: true,
        $console: true,
        $external: true,
        $frame: true,
        $frameElement: true,
        $frames: true,
        $innerHeight: true,
        $innerWidth: true,
        $onmozfullscreenchange: true,
        $onmozfullscreenerror: true,
        $outerHeight: true,
        $outerWidth: true,
        $pageXOffset: true,
        $pageYOffset: true,
        $parent: true,
        $scrollLeft: true,
        $scrollTop: true,
        $scrollX: true,
        $scrollY: true,
        $self: true,
        $webkitIndexedDB: true,
        $webkitStorageInfo: true,
        $window: true
      };
      hasAutomationEqualityBug = (function() {
        if (typeof window === "undefined") {
          return false;
        }
        for (var k in window) {
          try {
            if (!excludedKeys["$" + k] && has.call(window, k) && window[k] !== null && typeof window[k] === "object") {
              try {
                equalsConstructorPrototype(window[k]);
              } catch (e) {
                return true;
              }
            }
          } catch (e) {
            return true;
          }
        }
        return false;
      })();
      equalsConstructorPrototypeIfNotBuggy = function(o) {
        if (typeof window === "undefined" || !hasAutomationEqualityBug) {
          return equalsConstructorPrototype(o);
        }
        try {
          return equalsConstructorPrototype(o);
        } catch (e) {
          return false;
        }
      };
      keysShim = function keys(object) {
        var isObject = object !== null && typeof object === "object";
        var isFunction = toStr.call(object) === "[object Function]";
        var isArguments = isArgs(object);
        var isString = isObject && toStr.call(object) === "[object String]";
        var theKeys = [];
        if (!isObject && !isFunction && !isArguments) {
          throw new TypeError("Object.keys called on a non-object");
        }
        var skipProto = hasProtoEnumBug && isFunction;
        if (isString && object.length > 0 && !has.call(object, 0)) {
          for (var i = 0; i < object.length; ++i) {
            theKeys.push(String(i));
          }
        }
        if (isArguments && object.length > 0) {
          for (var j = 0; j < object.length; ++j) {
            theKeys.push(String(j));
          }
        } else {
          for (var name in object) {
            if (!(skipProto && name === "prototype") && has.call(object, name)) {
              theKeys.push(String(name));
            }
          }
        }
        if (hasDontEnumBug) {
          var skipConstructor = equalsConstructorPrototypeIfNotBuggy(object);
          for (var k = 0; k < dontEnums.length; ++k) {
            if (!(skipConstructor && dontEnums[k] === "constructor") && has.call(object, dontEnums[k])) {
              theKeys.push(dontEnums[k]);
            }
          }
        }
        return theKeys;
      };
    }
    var has;
    var toStr;
    var isArgs;
    var isEnumerable;
    var hasDontEnumBug;
    var hasProtoEnumBug;
    var dontEnums;
    var equalsConstructorPrototype;
    var excludedKeys;
    var hasAutomationEqualityBug;
    var equalsConstructorPrototypeIfNotBuggy;
    module.exports = keysShim;
  }
});

// node_modules/cdktf/node_modules/object-keys/index.js
var require_object_keys = __commonJS({
  "node_modules/cdktf/node_modules/object-keys/index.js"(exports, module) {
    "use strict";
    var slice = Array.prototype.slice;
    var isArgs = require_isArguments();
    var origKeys = Object.keys;
    var keysShim = origKeys ? function keys(o) {
      return origKeys(o);
    } : require_implementation();
    var originalKeys = Object.keys;
    keysShim.shim = function shimObjectKeys() {
      if (Object.keys) {
        var keysWorksWithArguments = (function() {
          var args = Object.keys(arguments);
          return args && args.length === arguments.length;
        })(1, 2);
        if (!keysWorksWithArguments) {
          Object.keys = function keys(object) {
            if (isArgs(object)) {
              return originalKeys(slice.call(object));
            }
            return originalKeys(object);
          };
        }
      } else {
        Object.keys = keysShim;
      }
      return Object.keys || keysShim;
    };
    module.exports = keysShim;
  }
});

// node_modules/cdktf/node_modules/es-object-atoms/index.js
var require_es_object_atoms = __commonJS({
  "node_modules/cdktf/node_modules/es-object-atoms/index.js"(exports, module) {
    "use strict";
    module.exports = Object;
  }
});

// node_modules/cdktf/node_modules/es-errors/index.js
var require_es_errors = __commonJS({
  "node_modules/cdktf/node_modules/es-errors/index.js"(exports, module) {
    "use strict";
    module.exports = Error;
  }
});

// node_modules/cdktf/node_modules/es-errors/eval.js
var require_eval = __commonJS({
  "node_modules/cdktf/node_modules/es-errors/eval.js"(exports, module) {
    "use strict";
    module.exports = EvalError;
  }
});

// node_modules/cdktf/node_modules/es-errors/range.js
var require_range = __commonJS({
  "node_modules/cdktf/node_modules/es-errors/range.js"(exports, module) {
    "use strict";
    module.exports = RangeError;
  }
});

// node_modules/cdktf/node_modules/es-errors/ref.js
var require_ref = __commonJS({
  "node_modules/cdktf/node_modules/es-errors/ref.js"(exports, module) {
    "use strict";
    module.exports = ReferenceError;
  }
});

// node_modules/cdktf/node_modules/es-errors/syntax.js
var require_syntax = __commonJS({
  "node_modules/cdktf/node_modules/es-errors/syntax.js"(exports, module) {
    "use strict";
    module.exports = SyntaxError;
  }
});

// node_modules/cdktf/node_modules/es-errors/type.js
var require_type = __commonJS({
  "node_modules/cdktf/node_modules/es-errors/type.js"(exports, module) {
    "use strict";
    module.exports = TypeError;
  }
});

// node_modules/cdktf/node_modules/es-errors/uri.js
var require_uri = __commonJS({
  "node_modules/cdktf/node_modules/es-errors/uri.js"(exports, module) {
    "use strict";
    module.exports = URIError;
  }
});

// node_modules/cdktf/node_modules/math-intrinsics/abs.js
var require_abs = __commonJS({
  "node_modules/cdktf/node_modules/math-intrinsics/abs.js"(exports, module) {
    "use strict";
    module.exports = Math.abs;
  }
});

// node_modules/cdktf/node_modules/math-intrinsics/floor.js
var require_floor = __commonJS({
  "node_modules/cdktf/node_modules/math-intrinsics/floor.js"(exports, module) {
    "use strict";
    module.exports = Math.floor;
  }
});

// node_modules/cdktf/node_modules/math-intrinsics/max.js
var require_max = __commonJS({
  "node_modules/cdktf/node_modules/math-intrinsics/max.js"(exports, module) {
    "use strict";
    module.exports = Math.max;
  }
});

// node_modules/cdktf/node_modules/math-intrinsics/min.js
var require_min = __commonJS({
  "node_modules/cdktf/node_modules/math-intrinsics/min.js"(exports, module) {
    "use strict";
    module.exports = Math.min;
  }
});

// node_modules/cdktf/node_modules/math-intrinsics/pow.js
var require_pow = __commonJS({
  "node_modules/cdktf/node_modules/math-intrinsics/pow.js"(exports, module) {
    "use strict";
    module.exports = Math.pow;
  }
});

// node_modules/cdktf/node_modules/math-intrinsics/round.js
var require_round = __commonJS({
  "node_modules/cdktf/node_modules/math-intrinsics/round.js"(exports, module) {
    "use strict";
    module.exports = Math.round;
  }
});

// node_modules/cdktf/node_modules/math-intrinsics/isNaN.js
var require_isNaN = __commonJS({
  "node_modules/cdktf/node_modules/math-intrinsics/isNaN.js"(exports, module) {
    "use strict";
    module.exports = Number.isNaN || function isNaN2(a) {
      return a !== a;
    };
  }
});

// node_modules/cdktf/node_modules/math-intrinsics/sign.js
var require_sign = __commonJS({
  "node_modules/cdktf/node_modules/math-intrinsics/sign.js"(exports, module) {
    "use strict";
    var $isNaN = require_isNaN();
    module.exports = function sign(number) {
      if ($isNaN(number) || number === 0) {
        return number;
      }
      return number < 0 ? -1 : 1;
    };
  }
});

// node_modules/cdktf/node_modules/gopd/gOPD.js
var require_gOPD = __commonJS({
  "node_modules/cdktf/node_modules/gopd/gOPD.js"(exports, module) {
    "use strict";
    module.exports = Object.getOwnPropertyDescriptor;
  }
});

// node_modules/cdktf/node_modules/gopd/index.js
var require_gopd = __commonJS({
  "node_modules/cdktf/node_modules/gopd/index.js"(exports, module) {
    "use strict";
    var $gOPD = require_gOPD();
    if ($gOPD) {
      try {
        $gOPD([], "length");
      } catch (e) {
        $gOPD = null;
      }
    }
    module.exports = $gOPD;
  }
});

// node_modules/cdktf/node_modules/es-define-property/index.js
var require_es_define_property = __commonJS({
  "node_modules/cdktf/node_modules/es-define-property/index.js"(exports, module) {
    "use strict";
    var $defineProperty = Object.defineProperty || false;
    if ($defineProperty) {
      try {
        $defineProperty({}, "a", { value: 1 });
      } catch (e) {
        $defineProperty = false;
      }
    }
    module.exports = $defineProperty;
  }
});

// node_modules/cdktf/node_modules/has-symbols/shams.js
var require_shams = __commonJS({
  "node_modules/cdktf/node_modules/has-symbols/shams.js"(exports, module) {
    "use strict";
    module.exports = function hasSymbols() {
      if (typeof Symbol !== "function" || typeof Object.getOwnPropertySymbols !== "function") {
        return false;
      }
      if (typeof Symbol.iterator === "symbol") {
        return true;
      }
      var obj = {};
      var sym = /* @__PURE__ */ Symbol("test");
      var symObj = Object(sym);
      if (typeof sym === "string") {
        return false;
      }
      if (Object.prototype.toString.call(sym) !== "[object Symbol]") {
        return false;
      }
      if (Object.prototype.toString.call(symObj) !== "[object Symbol]") {
        return false;
      }
      var symVal = 42;
      obj[sym] = symVal;
      for (var _ in obj) {
        return false;
      }
      if (typeof Object.keys === "function" && Object.keys(obj).length !== 0) {
        return false;
      }
      if (typeof Object.getOwnPropertyNames === "function" && Object.getOwnPropertyNames(obj).length !== 0) {
        return false;
      }
      var syms = Object.getOwnPropertySymbols(obj);
      if (syms.length !== 1 || syms[0] !== sym) {
        return false;
      }
      if (!Object.prototype.propertyIsEnumerable.call(obj, sym)) {
        return false;
      }
      if (typeof Object.getOwnPropertyDescriptor === "function") {
        var descriptor = (
          /** @type {PropertyDescriptor} */
          Object.getOwnPropertyDescriptor(obj, sym)
        );
        if (descriptor.value !== symVal || descriptor.enumerable !== true) {
          return false;
        }
      }
      return true;
    };
  }
});

// node_modules/cdktf/node_modules/has-symbols/index.js
var require_has_symbols = __commonJS({
  "node_modules/cdktf/node_modules/has-symbols/index.js"(exports, module) {
    "use strict";
    var origSymbol = typeof Symbol !== "undefined" && Symbol;
    var hasSymbolSham = require_shams();
    module.exports = function hasNativeSymbols() {
      if (typeof origSymbol !== "function") {
        return false;
      }
      if (typeof Symbol !== "function") {
        return false;
      }
      if (typeof origSymbol("foo") !== "symbol") {
        return false;
      }
      if (typeof /* @__PURE__ */ Symbol("bar") !== "symbol") {
        return false;
      }
      return hasSymbolSham();
    };
  }
});

// node_modules/cdktf/node_modules/get-proto/Reflect.getPrototypeOf.js
var require_Reflect_getPrototypeOf = __commonJS({
  "node_modules/cdktf/node_modules/get-proto/Reflect.getPrototypeOf.js"(exports, module) {
    "use strict";
    module.exports = typeof Reflect !== "undefined" && Reflect.getPrototypeOf || null;
  }
});

// node_modules/cdktf/node_modules/get-proto/Object.getPrototypeOf.js
var require_Object_getPrototypeOf = __commonJS({
  "node_modules/cdktf/node_modules/get-proto/Object.getPrototypeOf.js"(exports, module) {
    "use strict";
    var $Object = require_es_object_atoms();
    module.exports = $Object.getPrototypeOf || null;
  }
});

// node_modules/cdktf/node_modules/function-bind/implementation.js
var require_implementation2 = __commonJS({
  "node_modules/cdktf/node_modules/function-bind/implementation.js"(exports, module) {
    "use strict";
    var ERROR_MESSAGE = "Function.prototype.bind called on incompatible ";
    var toStr = Object.prototype.toString;
    var max = Math.max;
    var funcType = "[object Function]";
    var concatty = function concatty2(a, b) {
      var arr = [];
      for (var i = 0; i < a.length; i += 1) {
        arr[i] = a[i];
      }
      for (var j = 0; j < b.length; j += 1) {
        arr[j + a.length] = b[j];
      }
      return arr;
    };
    var slicy = function slicy2(arrLike, offset) {
      var arr = [];
      for (var i = offset || 0, j = 0; i < arrLike.length; i += 1, j += 1) {
        arr[j] = arrLike[i];
      }
      return arr;
    };
    var joiny = function(arr, joiner) {
      var str = "";
      for (var i = 0; i < arr.length; i += 1) {
        str += arr[i];
        if (i + 1 < arr.length) {
          str += joiner;
        }
      }
      return str;
    };
    module.exports = function bind(that) {
      var target = this;
      if (typeof target !== "function" || toStr.apply(target) !== funcType) {
        throw new TypeError(ERROR_MESSAGE + target);
      }
      var args = slicy(arguments, 1);
      var bound;
      var binder = function() {
        if (this instanceof bound) {
          var result = target.apply(
            this,
            concatty(args, arguments)
          );
          if (Object(result) === result) {
            return result;
          }
          return this;
        }
        return target.apply(
          that,
          concatty(args, arguments)
        );
      };
      var boundLength = max(0, target.length - args.length);
      var boundArgs = [];
      for (var i = 0; i < boundLength; i++) {
        boundArgs[i] = "$" + i;
      }
      bound = Function("binder", "return function (" + joiny(boundArgs, ",") + "){ return binder.apply(this,arguments); }")(binder);
      if (target.prototype) {
        var Empty = function Empty2() {
        };
        Empty.prototype = target.prototype;
        bound.prototype = new Empty();
        Empty.prototype = null;
      }
      return bound;
    };
  }
});

// node_modules/cdktf/node_modules/function-bind/index.js
var require_function_bind = __commonJS({
  "node_modules/cdktf/node_modules/function-bind/index.js"(exports, module) {
    "use strict";
    var implementation = require_implementation2();
    module.exports = Function.prototype.bind || implementation;
  }
});

// node_modules/cdktf/node_modules/call-bind-apply-helpers/functionCall.js
var require_functionCall = __commonJS({
  "node_modules/cdktf/node_modules/call-bind-apply-helpers/functionCall.js"(exports, module) {
    "use strict";
    module.exports = Function.prototype.call;
  }
});

// node_modules/cdktf/node_modules/call-bind-apply-helpers/functionApply.js
var require_functionApply = __commonJS({
  "node_modules/cdktf/node_modules/call-bind-apply-helpers/functionApply.js"(exports, module) {
    "use strict";
    module.exports = Function.prototype.apply;
  }
});

// node_modules/cdktf/node_modules/call-bind-apply-helpers/reflectApply.js
var require_reflectApply = __commonJS({
  "node_modules/cdktf/node_modules/call-bind-apply-helpers/reflectApply.js"(exports, module) {
    "use strict";
    module.exports = typeof Reflect !== "undefined" && Reflect && Reflect.apply;
  }
});

// node_modules/cdktf/node_modules/call-bind-apply-helpers/actualApply.js
var require_actualApply = __commonJS({
  "node_modules/cdktf/node_modules/call-bind-apply-helpers/actualApply.js"(exports, module) {
    "use strict";
    var bind = require_function_bind();
    var $apply = require_functionApply();
    var $call = require_functionCall();
    var $reflectApply = require_reflectApply();
    module.exports = $reflectApply || bind.call($call, $apply);
  }
});

// node_modules/cdktf/node_modules/call-bind-apply-helpers/index.js
var require_call_bind_apply_helpers = __commonJS({
  "node_modules/cdktf/node_modules/call-bind-apply-helpers/index.js"(exports, module) {
    "use strict";
    var bind = require_function_bind();
    var $TypeError = require_type();
    var $call = require_functionCall();
    var $actualApply = require_actualApply();
    module.exports = function callBindBasic(args) {
      if (args.length < 1 || typeof args[0] !== "function") {
        throw new $TypeError("a function is required");
      }
      return $actualApply(bind, $call, args);
    };
  }
});

// node_modules/cdktf/node_modules/dunder-proto/get.js
var require_get = __commonJS({
  "node_modules/cdktf/node_modules/dunder-proto/get.js"(exports, module) {
    "use strict";
    var callBind = require_call_bind_apply_helpers();
    var gOPD = require_gopd();
    var hasProtoAccessor;
    try {
      hasProtoAccessor = /** @type {{ __proto__?: typeof Array.prototype }} */
      [].__proto__ === Array.prototype;
    } catch (e) {
      if (!e || typeof e !== "object" || !("code" in e) || e.code !== "ERR_PROTO_ACCESS") {
        throw e;
      }
    }
    var desc = !!hasProtoAccessor && gOPD && gOPD(
      Object.prototype,
      /** @type {keyof typeof Object.prototype} */
      "__proto__"
    );
    var $Object = Object;
    var $getPrototypeOf = $Object.getPrototypeOf;
    module.exports = desc && typeof desc.get === "function" ? callBind([desc.get]) : typeof $getPrototypeOf === "function" ? (
      /** @type {import('./get')} */
      function getDunder(value) {
        return $getPrototypeOf(value == null ? value : $Object(value));
      }
    ) : false;
  }
});

// node_modules/cdktf/node_modules/get-proto/index.js
var require_get_proto = __commonJS({
  "node_modules/cdktf/node_modules/get-proto/index.js"(exports, module) {
    "use strict";
    var reflectGetProto = require_Reflect_getPrototypeOf();
    var originalGetProto = require_Object_getPrototypeOf();
    var getDunderProto = require_get();
    module.exports = reflectGetProto ? function getProto(O) {
      return reflectGetProto(O);
    } : originalGetProto ? function getProto(O) {
      if (!O || typeof O !== "object" && typeof O !== "function") {
        throw new TypeError("getProto: not an object");
      }
      return originalGetProto(O);
    } : getDunderProto ? function getProto(O) {
      return getDunderProto(O);
    } : null;
  }
});

// node_modules/cdktf/node_modules/hasown/index.js
var require_hasown = __commonJS({
  "node_modules/cdktf/node_modules/hasown/index.js"(exports, module) {
    "use strict";
    var call = Function.prototype.call;
    var $hasOwn = Object.prototype.hasOwnProperty;
    var bind = require_function_bind();
    module.exports = bind.call(call, $hasOwn);
  }
});

// node_modules/cdktf/node_modules/get-intrinsic/index.js
var require_get_intrinsic = __commonJS({
  "node_modules/cdktf/node_modules/get-intrinsic/index.js"(exports, module) {
    "use strict";
    var undefined2;
    var $Object = require_es_object_atoms();
    var $Error = require_es_errors();
    var $EvalError = require_eval();
    var $RangeError = require_range();
    var $ReferenceError = require_ref();
    var $SyntaxError = require_syntax();
    var $TypeError = require_type();
    var $URIError = require_uri();
    var abs = require_abs();
    var floor = require_floor();
    var max = require_max();
    var min = require_min();
    var pow = require_pow();
    var round = require_round();
    var sign = require_sign();
    var $Function = Function;
    var getEvalledConstructor = function(expressionSyntax) {
      try {
        return $Function('"use strict"; return (' + expressionSyntax + ").constructor;")();
      } catch (e) {
      }
    };
    var $gOPD = require_gopd();
    var $defineProperty = require_es_define_property();
    var throwTypeError = function() {
      throw new $TypeError();
    };
    var ThrowTypeError = $gOPD ? (function() {
      try {
        arguments.callee;
        return throwTypeError;
      } catch (calleeThrows) {
        try {
          return $gOPD(arguments, "callee").get;
        } catch (gOPDthrows) {
          return throwTypeError;
        }
      }
    })() : throwTypeError;
    var hasSymbols = require_has_symbols()();
    var getProto = require_get_proto();
    var $ObjectGPO = require_Object_getPrototypeOf();
    var $ReflectGPO = require_Reflect_getPrototypeOf();
    var $apply = require_functionApply();
    var $call = require_functionCall();
    var needsEval = {};
    var TypedArray = typeof Uint8Array === "undefined" || !getProto ? undefined2 : getProto(Uint8Array);
    var INTRINSICS = {
      __proto__: null,
      "%AggregateError%": typeof AggregateError === "undefined" ? undefined2 : AggregateError,
      "%Array%": Array,
      "%ArrayBuffer%": typeof ArrayBuffer === "undefined" ? undefined2 : ArrayBuffer,
      "%ArrayIteratorPrototype%": hasSymbols && getProto ? getProto([][Symbol.iterator]()) : undefined2,
      "%AsyncFromSyncIteratorPrototype%": undefined2,
      "%AsyncFunction%": needsEval,
      "%AsyncGenerator%": needsEval,
      "%AsyncGeneratorFunction%": needsEval,
      "%AsyncIteratorPrototype%": needsEval,
      "%Atomics%": typeof Atomics === "undefined" ? undefined2 : Atomics,
      "%BigInt%": typeof BigInt === "undefined" ? undefined2 : BigInt,
      "%BigInt64Array%": typeof BigInt64Array === "undefined" ? undefined2 : BigInt64Array,
      "%BigUint64Array%": typeof BigUint64Array === "undefined" ? undefined2 : BigUint64Array,
      "%Boolean%": Boolean,
      "%DataView%": typeof DataView === "undefined" ? undefined2 : DataView,
      "%Date%": Date,
      "%decodeURI%": decodeURI,
      "%decodeURIComponent%": decodeURIComponent,
      "%encodeURI%": encodeURI,
      "%encodeURIComponent%": encodeURIComponent,
      "%Error%": $Error,
      "%eval%": eval,
      // eslint-disable-line no-eval
      "%EvalError%": $EvalError,
      "%Float16Array%": typeof Float16Array === "undefined" ? undefined2 : Float16Array,
      "%Float32Array%": typeof Float32Array === "undefined" ? undefined2 : Float32Array,
      "%Float64Array%": typeof Float64Array === "undefined" ? undefined2 : Float64Array,
      "%FinalizationRegistry%": typeof FinalizationRegistry === "undefined" ? undefined2 : FinalizationRegistry,
      "%Function%": $Function,
      "%GeneratorFunction%": needsEval,
      "%Int8Array%": typeof Int8Array === "undefined" ? undefined2 : Int8Array,
      "%Int16Array%": typeof Int16Array === "undefined" ? undefined2 : Int16Array,
      "%Int32Array%": typeof Int32Array === "undefined" ? undefined2 : Int32Array,
      "%isFinite%": isFinite,
      "%isNaN%": isNaN,
      "%IteratorPrototype%": hasSymbols && getProto ? getProto(getProto([][Symbol.iterator]())) : undefined2,
      "%JSON%": typeof JSON === "object" ? JSON : undefined2,
      "%Map%": typeof Map === "undefined" ? undefined2 : Map,
      "%MapIteratorPrototype%": typeof Map === "undefined" || !hasSymbols || !getProto ? undefined2 : getProto((/* @__PURE__ */ new Map())[Symbol.iterator]()),
      "%Math%": Math,
      "%Number%": Number,
      "%Object%": $Object,
      "%Object.getOwnPropertyDescriptor%": $gOPD,
      "%parseFloat%": parseFloat,
      "%parseInt%": parseInt,
      "%Promise%": typeof Promise === "undefined" ? undefined2 : Promise,
      "%Proxy%": typeof Proxy === "undefined" ? undefined2 : Proxy,
      "%RangeError%": $RangeError,
      "%ReferenceError%": $ReferenceError,
      "%Reflect%": typeof Reflect === "undefined" ? undefined2 : Reflect,
      "%RegExp%": RegExp,
      "%Set%": typeof Set === "undefined" ? undefined2 : Set,
      "%SetIteratorPrototype%": typeof Set === "undefined" || !hasSymbols || !getProto ? undefined2 : getProto((/* @__PURE__ */ new Set())[Symbol.iterator]()),
      "%SharedArrayBuffer%": typeof SharedArrayBuffer === "undefined" ? undefined2 : SharedArrayBuffer,
      "%String%": String,
      "%StringIteratorPrototype%": hasSymbols && getProto ? getProto(""[Symbol.iterator]()) : undefined2,
      "%Symbol%": hasSymbols ? Symbol : undefined2,
      "%SyntaxError%": $SyntaxError,
      "%ThrowTypeError%": ThrowTypeError,
      "%TypedArray%": TypedArray,
      "%TypeError%": $TypeError,
      "%Uint8Array%": typeof Uint8Array === "undefined" ? undefined2 : Uint8Array,
      "%Uint8ClampedArray%": typeof Uint8ClampedArray === "undefined" ? undefined2 : Uint8ClampedArray,
      "%Uint16Array%": typeof Uint16Array === "undefined" ? undefined2 : Uint16Array,
      "%Uint32Array%": typeof Uint32Array === "undefined" ? undefined2 : Uint32Array,
      "%URIError%": $URIError,
      "%WeakMap%": typeof WeakMap === "undefined" ? undefined2 : WeakMap,
      "%WeakRef%": typeof WeakRef === "undefined" ? undefined2 : WeakRef,
      "%WeakSet%": typeof WeakSet === "undefined" ? undefined2 : WeakSet,
      "%Function.prototype.call%": $call,
      "%Function.prototype.apply%": $apply,
      "%Object.defineProperty%": $defineProperty,
      "%Object.getPrototypeOf%": $ObjectGPO,
      "%Math.abs%": abs,
      "%Math.floor%": floor,
      "%Math.max%": max,
      "%Math.min%": min,
      "%Math.pow%": pow,
      "%Math.round%": round,
      "%Math.sign%": sign,
      "%Reflect.getPrototypeOf%": $ReflectGPO
    };
    if (getProto) {
      try {
        null.error;
      } catch (e) {
        errorProto = getProto(getProto(e));
        INTRINSICS["%Error.prototype%"] = errorProto;
      }
    }
    var errorProto;
    var doEval = function doEval2(name) {
      var value;
      if (name === "%AsyncFunction%") {
        value = getEvalledConstructor("async function () {}");
      } else if (name === "%GeneratorFunction%") {
        value = getEvalledConstructor("function* () {}");
      } else if (name === "%AsyncGeneratorFunction%") {
        value = getEvalledConstructor("async function* () {}");
      } else if (name === "%AsyncGenerator%") {
        var fn = doEval2("%AsyncGeneratorFunction%");
        if (fn) {
          value = fn.prototype;
        }
      } else if (name === "%AsyncIteratorPrototype%") {
        var gen = doEval2("%AsyncGenerator%");
        if (gen && getProto) {
          value = getProto(gen.prototype);
        }
      }
      INTRINSICS[name] = value;
      return value;
    };
    var LEGACY_ALIASES = {
      __proto__: null,
      "%ArrayBufferPrototype%": ["ArrayBuffer", "prototype"],
      "%ArrayPrototype%": ["Array", "prototype"],
      "%ArrayProto_entries%": ["Array", "prototype", "entries"],
      "%ArrayProto_forEach%": ["Array", "prototype", "forEach"],
      "%ArrayProto_keys%": ["Array", "prototype", "keys"],
      "%ArrayProto_values%": ["Array", "prototype", "values"],
      "%AsyncFunctionPrototype%": ["AsyncFunction", "prototype"],
      "%AsyncGenerator%": ["AsyncGeneratorFunction", "prototype"],
      "%AsyncGeneratorPrototype%": ["AsyncGeneratorFunction", "prototype", "prototype"],
      "%BooleanPrototype%": ["Boolean", "prototype"],
      "%DataViewPrototype%": ["DataView", "prototype"],
      "%DatePrototype%": ["Date", "prototype"],
      "%ErrorPrototype%": ["Error", "prototype"],
      "%EvalErrorPrototype%": ["EvalError", "prototype"],
      "%Float32ArrayPrototype%": ["Float32Array", "prototype"],
      "%Float64ArrayPrototype%": ["Float64Array", "prototype"],
      "%FunctionPrototype%": ["Function", "prototype"],
      "%Generator%": ["GeneratorFunction", "prototype"],
      "%GeneratorPrototype%": ["GeneratorFunction", "prototype", "prototype"],
      "%Int8ArrayPrototype%": ["Int8Array", "prototype"],
      "%Int16ArrayPrototype%": ["Int16Array", "prototype"],
      "%Int32ArrayPrototype%": ["Int32Array", "prototype"],
      "%JSONParse%": ["JSON", "parse"],
      "%JSONStringify%": ["JSON", "stringify"],
      "%MapPrototype%": ["Map", "prototype"],
      "%NumberPrototype%": ["Number", "prototype"],
      "%ObjectPrototype%": ["Object", "prototype"],
      "%ObjProto_toString%": ["Object", "prototype", "toString"],
      "%ObjProto_valueOf%": ["Object", "prototype", "valueOf"],
      "%PromisePrototype%": ["Promise", "prototype"],
      "%PromiseProto_then%": ["Promise", "prototype", "then"],
      "%Promise_all%": ["Promise", "all"],
      "%Promise_reject%": ["Promise", "reject"],
      "%Promise_resolve%": ["Promise", "resolve"],
      "%RangeErrorPrototype%": ["RangeError", "prototype"],
      "%ReferenceErrorPrototype%": ["ReferenceError", "prototype"],
      "%RegExpPrototype%": ["RegExp", "prototype"],
      "%SetPrototype%": ["Set", "prototype"],
      "%SharedArrayBufferPrototype%": ["SharedArrayBuffer", "prototype"],
      "%StringPrototype%": ["String", "prototype"],
      "%SymbolPrototype%": ["Symbol", "prototype"],
      "%SyntaxErrorPrototype%": ["SyntaxError", "prototype"],
      "%TypedArrayPrototype%": ["TypedArray", "prototype"],
      "%TypeErrorPrototype%": ["TypeError", "prototype"],
      "%Uint8ArrayPrototype%": ["Uint8Array", "prototype"],
      "%Uint8ClampedArrayPrototype%": ["Uint8ClampedArray", "prototype"],
      "%Uint16ArrayPrototype%": ["Uint16Array", "prototype"],
      "%Uint32ArrayPrototype%": ["Uint32Array", "prototype"],
      "%URIErrorPrototype%": ["URIError", "prototype"],
      "%WeakMapPrototype%": ["WeakMap", "prototype"],
      "%WeakSetPrototype%": ["WeakSet", "prototype"]
    };
    var bind = require_function_bind();
    var hasOwn = require_hasown();
    var $concat = bind.call($call, Array.prototype.concat);
    var $spliceApply = bind.call($apply, Array.prototype.splice);
    var $replace = bind.call($call, String.prototype.replace);
    var $strSlice = bind.call($call, String.prototype.slice);
    var $exec = bind.call($call, RegExp.prototype.exec);
    var rePropName = /[^%.[\]]+|\[(?:(-?\d+(?:\.\d+)?)|(["'])((?:(?!\2)[^\\]|\\.)*?)\2)\]|(?=(?:\.|\[\])(?:\.|\[\]|%$))/g;
    var reEscapeChar = /\\(\\)?/g;
    var stringToPath = function stringToPath2(string) {
      var first = $strSlice(string, 0, 1);
      var last = $strSlice(string, -1);
      if (first === "%" && last !== "%") {
        throw new $SyntaxError("invalid intrinsic syntax, expected closing `%`");
      } else if (last === "%" && first !== "%") {
        throw new $SyntaxError("invalid intrinsic syntax, expected opening `%`");
      }
      var result = [];
      $replace(string, rePropName, function(match, number, quote, subString) {
        result[result.length] = quote ? $replace(subString, reEscapeChar, "$1") : number || match;
      });
      return result;
    };
    var getBaseIntrinsic = function getBaseIntrinsic2(name, allowMissing) {
      var intrinsicName = name;
      var alias;
      if (hasOwn(LEGACY_ALIASES, intrinsicName)) {
        alias = LEGACY_ALIASES[intrinsicName];
        intrinsicName = "%" + alias[0] + "%";
      }
      if (hasOwn(INTRINSICS, intrinsicName)) {
        var value = INTRINSICS[intrinsicName];
        if (value === needsEval) {
          value = doEval(intrinsicName);
        }
        if (typeof value === "undefined" && !allowMissing) {
          throw new $TypeError("intrinsic " + name + " exists, but is not available. Please file an issue!");
        }
        return {
          alias,
          name: intrinsicName,
          value
        };
      }
      throw new $SyntaxError("intrinsic " + name + " does not exist!");
    };
    module.exports = function GetIntrinsic(name, allowMissing) {
      if (typeof name !== "string" || name.length === 0) {
        throw new $TypeError("intrinsic name must be a non-empty string");
      }
      if (arguments.length > 1 && typeof allowMissing !== "boolean") {
        throw new $TypeError('"allowMissing" argument must be a boolean');
      }
      if ($exec(/^%?[^%]*%?$/, name) === null) {
        throw new $SyntaxError("`%` may not be present anywhere but at the beginning and end of the intrinsic name");
      }
      var parts = stringToPath(name);
      var intrinsicBaseName = parts.length > 0 ? parts[0] : "";
      var intrinsic = getBaseIntrinsic("%" + intrinsicBaseName + "%", allowMissing);
      var intrinsicRealName = intrinsic.name;
      var value = intrinsic.value;
      var skipFurtherCaching = false;
      var alias = intrinsic.alias;
      if (alias) {
        intrinsicBaseName = alias[0];
        $spliceApply(parts, $concat([0, 1], alias));
      }
      for (var i = 1, isOwn = true; i < parts.length; i += 1) {
        var part = parts[i];
        var first = $strSlice(part, 0, 1);
        var last = $strSlice(part, -1);
        if ((first === '"' || first === "'" || first === "`" || (last === '"' || last === "'" || last === "`")) && first !== last) {
          throw new $SyntaxError("property names with quotes must have matching quotes");
        }
        if (part === "constructor" || !isOwn) {
          skipFurtherCaching = true;
        }
        intrinsicBaseName += "." + part;
        intrinsicRealName = "%" + intrinsicBaseName + "%";
        if (hasOwn(INTRINSICS, intrinsicRealName)) {
          value = INTRINSICS[intrinsicRealName];
        } else if (value != null) {
          if (!(part in value)) {
            if (!allowMissing) {
              throw new $TypeError("base intrinsic for " + name + " exists, but the property is not available.");
            }
            return void undefined2;
          }
          if ($gOPD && i + 1 >= parts.length) {
            var desc = $gOPD(value, part);
            isOwn = !!desc;
            if (isOwn && "get" in desc && !("originalValue" in desc.get)) {
              value = desc.get;
            } else {
              value = value[part];
            }
          } else {
            isOwn = hasOwn(value, part);
            value = value[part];
          }
          if (isOwn && !skipFurtherCaching) {
            INTRINSICS[intrinsicRealName] = value;
          }
        }
      }
      return value;
    };
  }
});

// node_modules/cdktf/node_modules/define-data-property/index.js
var require_define_data_property = __commonJS({
  "node_modules/cdktf/node_modules/define-data-property/index.js"(exports, module) {
    "use strict";
    var $defineProperty = require_es_define_property();
    var $SyntaxError = require_syntax();
    var $TypeError = require_type();
    var gopd = require_gopd();
    module.exports = function defineDataProperty(obj, property, value) {
      if (!obj || typeof obj !== "object" && typeof obj !== "function") {
        throw new $TypeError("`obj` must be an object or a function`");
      }
      if (typeof property !== "string" && typeof property !== "symbol") {
        throw new $TypeError("`property` must be a string or a symbol`");
      }
      if (arguments.length > 3 && typeof arguments[3] !== "boolean" && arguments[3] !== null) {
        throw new $TypeError("`nonEnumerable`, if provided, must be a boolean or null");
      }
      if (arguments.length > 4 && typeof arguments[4] !== "boolean" && arguments[4] !== null) {
        throw new $TypeError("`nonWritable`, if provided, must be a boolean or null");
      }
      if (arguments.length > 5 && typeof arguments[5] !== "boolean" && arguments[5] !== null) {
        throw new $TypeError("`nonConfigurable`, if provided, must be a boolean or null");
      }
      if (arguments.length > 6 && typeof arguments[6] !== "boolean") {
        throw new $TypeError("`loose`, if provided, must be a boolean");
      }
      var nonEnumerable = arguments.length > 3 ? arguments[3] : null;
      var nonWritable = arguments.length > 4 ? arguments[4] : null;
      var nonConfigurable = arguments.length > 5 ? arguments[5] : null;
      var loose = arguments.length > 6 ? arguments[6] : false;
      var desc = !!gopd && gopd(obj, property);
      if ($defineProperty) {
        $defineProperty(obj, property, {
          configurable: nonConfigurable === null && desc ? desc.configurable : !nonConfigurable,
          enumerable: nonEnumerable === null && desc ? desc.enumerable : !nonEnumerable,
          value,
          writable: nonWritable === null && desc ? desc.writable : !nonWritable
        });
      } else if (loose || !nonEnumerable && !nonWritable && !nonConfigurable) {
        obj[property] = value;
      } else {
        throw new $SyntaxError("This environment does not support defining a property as non-configurable, non-writable, or non-enumerable.");
      }
    };
  }
});

// node_modules/cdktf/node_modules/has-property-descriptors/index.js
var require_has_property_descriptors = __commonJS({
  "node_modules/cdktf/node_modules/has-property-descriptors/index.js"(exports, module) {
    "use strict";
    var $defineProperty = require_es_define_property();
    var hasPropertyDescriptors = function hasPropertyDescriptors2() {
      return !!$defineProperty;
    };
    hasPropertyDescriptors.hasArrayLengthDefineBug = function hasArrayLengthDefineBug() {
      if (!$defineProperty) {
        return null;
      }
      try {
        return $defineProperty([], "length", { value: 1 }).length !== 1;
      } catch (e) {
        return true;
      }
    };
    module.exports = hasPropertyDescriptors;
  }
});

// node_modules/cdktf/node_modules/set-function-length/index.js
var require_set_function_length = __commonJS({
  "node_modules/cdktf/node_modules/set-function-length/index.js"(exports, module) {
    "use strict";
    var GetIntrinsic = require_get_intrinsic();
    var define = require_define_data_property();
    var hasDescriptors = require_has_property_descriptors()();
    var gOPD = require_gopd();
    var $TypeError = require_type();
    var $floor = GetIntrinsic("%Math.floor%");
    module.exports = function setFunctionLength(fn, length) {
      if (typeof fn !== "function") {
        throw new $TypeError("`fn` is not a function");
      }
      if (typeof length !== "number" || length < 0 || length > 4294967295 || $floor(length) !== length) {
        throw new $TypeError("`length` must be a positive 32-bit integer");
      }
      var loose = arguments.length > 2 && !!arguments[2];
      var functionLengthIsConfigurable = true;
      var functionLengthIsWritable = true;
      if ("length" in fn && gOPD) {
        var desc = gOPD(fn, "length");
        if (desc && !desc.configurable) {
          functionLengthIsConfigurable = false;
        }
        if (desc && !desc.writable) {
          functionLengthIsWritable = false;
        }
      }
      if (functionLengthIsConfigurable || functionLengthIsWritable || !loose) {
        if (hasDescriptors) {
          define(
            /** @type {Parameters<define>[0]} */
            fn,
            "length",
            length,
            true,
            true
          );
        } else {
          define(
            /** @type {Parameters<define>[0]} */
            fn,
            "length",
            length
          );
        }
      }
      return fn;
    };
  }
});

// node_modules/cdktf/node_modules/call-bind-apply-helpers/applyBind.js
var require_applyBind = __commonJS({
  "node_modules/cdktf/node_modules/call-bind-apply-helpers/applyBind.js"(exports, module) {
    "use strict";
    var bind = require_function_bind();
    var $apply = require_functionApply();
    var actualApply = require_actualApply();
    module.exports = function applyBind() {
      return actualApply(bind, $apply, arguments);
    };
  }
});

// node_modules/cdktf/node_modules/call-bind/index.js
var require_call_bind = __commonJS({
  "node_modules/cdktf/node_modules/call-bind/index.js"(exports, module) {
    "use strict";
    var setFunctionLength = require_set_function_length();
    var $defineProperty = require_es_define_property();
    var callBindBasic = require_call_bind_apply_helpers();
    var applyBind = require_applyBind();
    module.exports = function callBind(originalFunction) {
      var func = callBindBasic(arguments);
      var adjustedLength = originalFunction.length - (arguments.length - 1);
      return setFunctionLength(
        func,
        1 + (adjustedLength > 0 ? adjustedLength : 0),
        true
      );
    };
    if ($defineProperty) {
      $defineProperty(module.exports, "apply", { value: applyBind });
    } else {
      module.exports.apply = applyBind;
    }
  }
});

// node_modules/cdktf/node_modules/call-bound/index.js
var require_call_bound = __commonJS({
  "node_modules/cdktf/node_modules/call-bound/index.js"(exports, module) {
    "use strict";
    var GetIntrinsic = require_get_intrinsic();
    var callBindBasic = require_call_bind_apply_helpers();
    var $indexOf = callBindBasic([GetIntrinsic("%String.prototype.indexOf%")]);
    module.exports = function callBoundIntrinsic(name, allowMissing) {
      var intrinsic = (
        /** @type {(this: unknown, ...args: unknown[]) => unknown} */
        GetIntrinsic(name, !!allowMissing)
      );
      if (typeof intrinsic === "function" && $indexOf(name, ".prototype.") > -1) {
        return callBindBasic(
          /** @type {const} */
          [intrinsic]
        );
      }
      return intrinsic;
    };
  }
});

// node_modules/cdktf/node_modules/json-stable-stringify/index.js
var require_json_stable_stringify = __commonJS({
  "node_modules/cdktf/node_modules/json-stable-stringify/index.js"(exports, module) {
    "use strict";
    var jsonStringify = (typeof JSON !== "undefined" ? JSON : require_jsonify()).stringify;
    var isArray = require_isarray();
    var objectKeys = require_object_keys();
    var callBind = require_call_bind();
    var callBound = require_call_bound();
    var $join = callBound("Array.prototype.join");
    var $indexOf = callBound("Array.prototype.indexOf");
    var $splice = callBound("Array.prototype.splice");
    var $sort = callBound("Array.prototype.sort");
    var strRepeat = function repeat(n, char) {
      var str = "";
      for (var i = 0; i < n; i += 1) {
        str += char;
      }
      return str;
    };
    var defaultReplacer = function(_parent, _key, value) {
      return value;
    };
    module.exports = function stableStringify(obj) {
      var opts = arguments.length > 1 ? arguments[1] : void 0;
      var space = opts && opts.space || "";
      if (typeof space === "number") {
        space = strRepeat(space, " ");
      }
      var cycles = !!opts && typeof opts.cycles === "boolean" && opts.cycles;
      var replacer = opts && opts.replacer ? callBind(opts.replacer) : defaultReplacer;
      if (opts && typeof opts.collapseEmpty !== "undefined" && typeof opts.collapseEmpty !== "boolean") {
        throw new TypeError("`collapseEmpty` must be a boolean, if provided");
      }
      var collapseEmpty = !!opts && opts.collapseEmpty;
      var cmpOpt = typeof opts === "function" ? opts : opts && opts.cmp;
      var cmp = cmpOpt && function(node) {
        var get = (
          /** @type {NonNullable<typeof cmpOpt>} */
          cmpOpt.length > 2 && /** @type {import('.').Getter['get']} */
          function get2(k) {
            return node[k];
          }
        );
        return function(a, b) {
          return (
            /** @type {NonNullable<typeof cmpOpt>} */
            cmpOpt(
              { key: a, value: node[a] },
              { key: b, value: node[b] },
              // @ts-expect-error TS doesn't understand the optimization used here
              get ? (
                /** @type {import('.').Getter} */
                { __proto__: null, get }
              ) : void 0
            )
          );
        };
      };
      var seen = [];
      return (
        /** @type {(parent: import('.').Node, key: string | number, node: unknown, level: number) => string | undefined} */
        (function stringify(parent, key, node, level) {
          var indent = space ? "\n" + strRepeat(level, space) : "";
          var colonSeparator = space ? ": " : ":";
          if (node && /** @type {{ toJSON?: unknown }} */
          node.toJSON && typeof /** @type {{ toJSON?: unknown }} */
          node.toJSON === "function") {
            node = /** @type {{ toJSON: Function }} */
            node.toJSON();
          }
          node = replacer(parent, key, node);
          if (node === void 0) {
            return;
          }
          if (typeof node !== "object" || node === null) {
            return jsonStringify(node);
          }
          var groupOutput = function(out2, brackets) {
            return collapseEmpty && out2.length === 0 ? brackets : (brackets === "[]" ? "[" : "{") + $join(out2, ",") + indent + (brackets === "[]" ? "]" : "}");
          };
          if (isArray(node)) {
            var out = [];
            for (var i = 0; i < node.length; i++) {
              var item = stringify(node, i, node[i], level + 1) || jsonStringify(null);
              out[out.length] = indent + space + item;
            }
            return groupOutput(out, "[]");
          }
          if ($indexOf(seen, node) !== -1) {
            if (cycles) {
              return jsonStringify("__cycle__");
            }
            throw new TypeError("Converting circular structure to JSON");
          } else {
            seen[seen.length] = /** @type {import('.').NonArrayNode} */
            node;
          }
          var keys = $sort(objectKeys(node), cmp && cmp(
            /** @type {import('.').NonArrayNode} */
            node
          ));
          var out = [];
          for (var i = 0; i < keys.length; i++) {
            var key = keys[i];
            var value = stringify(
              /** @type {import('.').Node} */
              node,
              key,
              /** @type {import('.').NonArrayNode} */
              node[key],
              level + 1
            );
            if (!value) {
              continue;
            }
            var keyValue = jsonStringify(key) + colonSeparator + value;
            out[out.length] = indent + space + keyValue;
          }
          $splice(seen, $indexOf(seen, node), 1);
          return groupOutput(out, "{}");
        })({ "": obj }, "", obj, 0)
      );
    };
  }
});

// node_modules/cdktf/lib/manifest.js
var require_manifest = __commonJS({
  "node_modules/cdktf/lib/manifest.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Manifest = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var path = __require("path");
    var fs = __require("fs");
    var stringify = require_json_stable_stringify();
    var Manifest = class _Manifest {
      constructor(version, outdir, hclOutput) {
        this.version = version;
        this.outdir = outdir;
        this.hclOutput = hclOutput;
        this.stacks = {};
        const stacksPath = path.join(this.outdir, _Manifest.stacksFolder);
        if (!fs.existsSync(stacksPath))
          fs.mkdirSync(stacksPath);
        this.stackFileName = hclOutput ? "cdk.tf" : "cdk.tf.json";
      }
      forStack(stack) {
        const node = stack.node;
        const name = node.id;
        if (this.stacks[name]) {
          return this.stacks[name];
        }
        const manifest = {
          name,
          constructPath: node.path,
          workingDirectory: path.join(_Manifest.stacksFolder, node.id),
          synthesizedStackPath: path.join(_Manifest.stacksFolder, node.id, this.stackFileName),
          stackMetadataPath: path.join(_Manifest.stacksFolder, node.id, _Manifest.stackMetadataPath),
          annotations: [],
          // will be replaced later when processed in App
          dependencies: stack.dependencies.map((item) => item.node.path)
        };
        this.stacks[name] = manifest;
        return manifest;
      }
      buildManifest() {
        return {
          version: this.version,
          stacks: this.stacks
        };
      }
      writeToFile() {
        fs.writeFileSync(path.join(this.outdir, _Manifest.fileName), stringify(this.buildManifest(), { space: 2 }));
      }
    };
    exports.Manifest = Manifest;
    _a = JSII_RTTI_SYMBOL_1;
    Manifest[_a] = { fqn: "cdktf.Manifest", version: "0.21.0" };
    Manifest.fileName = "manifest.json";
    Manifest.stacksFolder = "stacks";
    Manifest.stackMetadataPath = "metadata.json";
  }
});

// node_modules/cdktf/lib/app.js
var require_app = __commonJS({
  "node_modules/cdktf/lib/app.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.App = exports.CONTEXT_ENV = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var constructs_1 = require_lib();
    var fs = __require("fs");
    var package_json_1 = require_package();
    var annotations_1 = require_annotations();
    var manifest_1 = require_manifest();
    var terraform_stack_1 = require_terraform_stack();
    var errors_1 = require_errors();
    var APP_SYMBOL = /* @__PURE__ */ Symbol.for("cdktf/App");
    exports.CONTEXT_ENV = "CDKTF_CONTEXT_JSON";
    var App2 = class _App extends constructs_1.Construct {
      /**
       * Defines an app
       * @param config configuration
       */
      constructor(config = {}) {
        super(void 0, "");
        Object.defineProperty(this, APP_SYMBOL, { value: true });
        this.outdir = config.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
        const envHclOutput = process.env.SYNTH_HCL_OUTPUT;
        let hclOutput = config.hclOutput || false;
        if (envHclOutput !== void 0) {
          hclOutput = envHclOutput === "true";
        }
        this.hclOutput = hclOutput;
        this.targetStackId = process.env.CDKTF_TARGET_STACK_ID;
        this.skipValidation = config.skipValidation || false;
        this.skipBackendValidation = config.skipBackendValidation || false;
        this.loadContext(config.context);
        const node = this.node;
        if (config.stackTraces === false) {
          node.setContext(annotations_1.DISABLE_STACK_TRACE_IN_METADATA, true);
        }
        node.setContext("cdktfVersion", package_json_1.version);
        if (!fs.existsSync(this.outdir)) {
          fs.mkdirSync(this.outdir);
        }
        this.manifest = new manifest_1.Manifest(package_json_1.version, this.outdir, this.hclOutput);
      }
      static isApp(x) {
        return x !== null && typeof x === "object" && APP_SYMBOL in x;
      }
      static of(construct) {
        return _lookup(construct);
        function _lookup(c) {
          if (_App.isApp(c)) {
            return c;
          }
          const node = c.node;
          if (!node.scope) {
            throw (0, errors_1.noAppFound)(construct.node.path);
          }
          return _lookup(node.scope);
        }
      }
      /**
       * Synthesizes all resources to the output directory
       */
      synth() {
        const session = {
          outdir: this.outdir,
          skipValidation: this.skipValidation,
          manifest: this.manifest
        };
        const stacks = this.node.findAll().filter(terraform_stack_1.TerraformStack.isStack);
        stacks.forEach((stack) => stack.prepareStack());
        stacks.forEach((stack) => stack.synthesizer.synthesize(session));
        if (!this.skipValidation) {
          const validations = this.node.validate();
          if (validations.length) {
            const errorList = validations.join("\n  ");
            throw (0, errors_1.appValidationFailure)(errorList);
          }
        }
        this.manifest.writeToFile();
      }
      /**
       * Creates a reference from one stack to another, invoked on prepareStack since it creates extra resources
       */
      crossStackReference(fromStack, toStack, identifier) {
        toStack.addDependency(fromStack);
        const outputId = fromStack.registerOutgoingCrossStackReference(identifier).friendlyUniqueId;
        const remoteState = toStack.registerIncomingCrossStackReference(fromStack);
        return remoteState.getString(outputId);
      }
      loadContext(defaults = {}) {
        const node = this.node;
        for (const [k, v] of Object.entries(defaults)) {
          node.setContext(k, v);
        }
        const contextJson = process.env[exports.CONTEXT_ENV];
        const contextFromEnvironment = contextJson ? JSON.parse(contextJson) : {};
        for (const [k, v] of Object.entries(contextFromEnvironment)) {
          node.setContext(k, v);
        }
      }
    };
    exports.App = App2;
    _a = JSII_RTTI_SYMBOL_1;
    App2[_a] = { fqn: "cdktf.App", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/tfExpression.js
var require_tfExpression = __commonJS({
  "node_modules/cdktf/lib/tfExpression.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.FOR_EXPRESSION_VALUE = exports.FOR_EXPRESSION_KEY = exports.OperatorExpression = void 0;
    exports.rawString = rawString;
    exports.ref = ref;
    exports.insideTfExpression = insideTfExpression;
    exports.propertyAccess = propertyAccess;
    exports.conditional = conditional;
    exports.call = call;
    exports.forExpression = forExpression;
    exports.dependable = dependable;
    var intrinsic_1 = require_intrinsic();
    var token_1 = require_token();
    var app_1 = require_app();
    var terraform_stack_1 = require_terraform_stack();
    var constructs_1 = require_lib();
    var TERRAFORM_IDENTIFIER_REGEX = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
    var TFExpression = class extends intrinsic_1.Intrinsic {
      resolveExpressionPart(context, arg) {
        const resolvedArg = context.resolve(arg);
        if (token_1.Tokenization.isResolvable(arg)) {
          return resolvedArg;
        }
        if (Array.isArray(resolvedArg)) {
          return `[${resolvedArg.map((_, index) => this.resolveArg(context, arg[index])).join(", ")}]`;
        }
        if (typeof resolvedArg === "object" && resolvedArg !== null) {
          return `{${Object.keys(resolvedArg).map((key) => `"${key}" = ${this.resolveArg(context, arg[key])}`).join(", ")}}`;
        }
        return resolvedArg;
      }
      resolveArg(context, arg) {
        const resolvedArg = context.resolve(arg);
        if (typeof arg === "string") {
          const str = this.resolveString(arg, resolvedArg);
          if (typeof str !== "string") {
            return this.resolveExpressionPart(context, str);
          }
          return str;
        }
        return this.resolveExpressionPart(context, arg);
      }
      /**
       * Escape string removes characters from the string that are not allowed in Terraform or JSON
       * It must only be used on non-token values
       */
      escapeString(str) {
        return str.replace(/\n/g, "\\n").replace(/\${/g, "$$${");
      }
      resolveString(str, resolvedArg) {
        const tokenList = token_1.Tokenization.reverseString(str);
        const numberOfTokens = tokenList.tokens.length + tokenList.intrinsic.length;
        if (numberOfTokens === 0) {
          return resolvedArg !== `"` && resolvedArg.startsWith('"') && resolvedArg.endsWith('"') ? this.escapeString(resolvedArg) : `"${this.escapeString(resolvedArg)}"`;
        }
        if (tokenList.literals.length === 0 && tokenList.escapes.length === 0 && numberOfTokens === 1) {
          return resolvedArg;
        }
        const joinResult = tokenList.join({
          join: (left, right) => {
            const leftTokens = token_1.Tokenization.reverse(left);
            const leftTokenList = token_1.Tokenization.reverseString(left);
            const rightTokens = token_1.Tokenization.reverse(right);
            const leftTokenCount = leftTokenList.intrinsic.length + leftTokenList.tokens.length;
            let leftValue = left;
            if (leftTokenList.literals.length === 1 && leftTokenCount === 0) {
              leftValue = this.escapeString(left);
            }
            if (leftTokenList.literals.length === 0 && leftTokenCount === 1) {
              leftValue = `\${${leftTokens[0]}}`;
            }
            const rightValue = rightTokens.length === 0 ? this.escapeString(right) : `\${${rightTokens[0]}}`;
            return `${leftValue}${rightValue}`;
          }
        });
        return joinResult !== `"` && joinResult.startsWith('"') && joinResult.endsWith('"') ? joinResult : `"${joinResult}"`;
      }
    };
    var RawString = class extends TFExpression {
      constructor(str) {
        super(str);
        this.str = str;
      }
      resolve(context) {
        const qts = context.suppressBraces ? `"` : ``;
        return `${qts}${this.escapeString(this.str).replace(/\"/g, '\\"')}${qts}`;
      }
      toString() {
        return this.str;
      }
    };
    function rawString(str) {
      return new RawString(str);
    }
    var Reference = class extends TFExpression {
      constructor(identifier, originStack) {
        super(identifier);
        this.identifier = identifier;
        this.originStack = originStack;
        this.crossStackIdentifier = {};
      }
      resolve(context) {
        const resolutionStack = terraform_stack_1.TerraformStack.of(context.scope);
        const stackName = resolutionStack.toString();
        const suppressBraces = context.suppressBraces;
        context.suppressBraces = true;
        if (context.preparing) {
          if (this.originStack && this.originStack !== resolutionStack) {
            const app = app_1.App.of(this.originStack);
            const csr = app.crossStackReference(this.originStack, resolutionStack, this.identifier);
            this.crossStackIdentifier[stackName] = csr;
          }
        }
        if (this.crossStackIdentifier[stackName]) {
          return suppressBraces ? this.crossStackIdentifier[stackName] : `\${${this.crossStackIdentifier[stackName]}}`;
        }
        return suppressBraces ? this.identifier : `\${${this.identifier}}`;
      }
    };
    function ref(identifier, stack) {
      return new Reference(identifier, stack);
    }
    function insideTfExpression(arg) {
      return arg;
    }
    var PropertyAccess = class extends TFExpression {
      constructor(target, args) {
        super({ target, args });
        this.target = target;
        this.args = args;
      }
      resolve(context) {
        const suppressBraces = context.suppressBraces;
        context.suppressBraces = true;
        const serializedArgs = this.args.map((arg) => {
          if (arg === `*`) {
            return "[*]";
          }
          const a = this.resolveArg(context, arg);
          const isPlainString = typeof arg === "string" && TERRAFORM_IDENTIFIER_REGEX.test(arg);
          const isPlainNumber = typeof arg === "number" && !token_1.Token.isUnresolved(arg);
          if (isPlainString || isPlainNumber) {
            return `.${arg}`;
          }
          return `[${a}]`;
        }).join("");
        const targetExpr = constructs_1.Construct.isConstruct(this.target) && "fqn" in this.target ? this.target.fqn : this.resolveArg(context, this.target);
        const expr = `${targetExpr}${serializedArgs}`;
        return suppressBraces ? expr : `\${${expr}}`;
      }
    };
    function propertyAccess(target, args) {
      return new PropertyAccess(target, args);
    }
    var ConditionalExpression = class extends TFExpression {
      constructor(condition, trueValue, falseValue) {
        super({ condition, trueValue, falseValue });
        this.condition = condition;
        this.trueValue = trueValue;
        this.falseValue = falseValue;
      }
      resolve(context) {
        const suppressBraces = context.suppressBraces;
        context.suppressBraces = true;
        const condition = this.resolveArg(context, this.condition);
        const trueValue = this.resolveArg(context, this.trueValue);
        const falseValue = this.resolveArg(context, this.falseValue);
        const expr = `${condition} ? ${trueValue} : ${falseValue}`;
        return suppressBraces ? expr : `\${${expr}}`;
      }
    };
    function conditional(condition, trueValue, falseValue) {
      return new ConditionalExpression(condition, trueValue, falseValue);
    }
    var OperatorExpression = class extends TFExpression {
      constructor(operator, left, right) {
        super({ operator, leftValue: left, rightValue: right });
        this.operator = operator;
        this.left = left;
        this.right = right;
      }
      resolve(context) {
        const suppressBraces = context.suppressBraces;
        context.suppressBraces = true;
        const left = this.resolveArg(context, this.left);
        const right = this.right ? this.resolveArg(context, this.right) : void 0;
        let expr = "";
        switch (this.operator) {
          case "!": {
            expr = `!${left}`;
            break;
          }
          case "-": {
            if (right) {
              expr = `(${left} - ${right})`;
            } else {
              expr = `-${left}`;
            }
            break;
          }
          default: {
            expr = `(${left} ${this.operator} ${right})`;
          }
        }
        return suppressBraces ? expr : `\${${expr}}`;
      }
    };
    exports.OperatorExpression = OperatorExpression;
    var FunctionCall = class extends TFExpression {
      constructor(name, args) {
        super({ name, args });
        this.name = name;
        this.args = args;
      }
      resolve(context) {
        const suppressBraces = context.suppressBraces;
        const originalIgnoreEscapes = context.ignoreEscapes;
        const originalWarnEscapes = context.warnEscapes;
        context.suppressBraces = true;
        context.ignoreEscapes = true;
        context.warnEscapes = true;
        const serializedArgs = this.args.map((arg) => this.resolveArg(context, arg)).join(", ");
        const expr = `${this.name}(${serializedArgs})`;
        context.ignoreEscapes = originalIgnoreEscapes;
        context.warnEscapes = originalWarnEscapes;
        return suppressBraces ? expr : `\${${expr}}`;
      }
    };
    function call(name, args) {
      return new FunctionCall(name, args);
    }
    exports.FOR_EXPRESSION_KEY = ref("key");
    exports.FOR_EXPRESSION_VALUE = ref("val");
    var ForExpression = class extends TFExpression {
      constructor(input, valueExpression, keyExpression) {
        super({ input, valueExpression, keyExpression });
        this.input = input;
        this.valueExpression = valueExpression;
        this.keyExpression = keyExpression;
      }
      resolve(context) {
        const suppressBraces = context.suppressBraces;
        context.suppressBraces = true;
        const key = this.resolveArg(context, exports.FOR_EXPRESSION_KEY);
        const value = this.resolveArg(context, exports.FOR_EXPRESSION_VALUE);
        const input = this.resolveArg(context, this.input);
        const valueExpr = this.resolveExpressionPart(context, this.valueExpression);
        let expr;
        if (this.keyExpression) {
          const keyExpr = this.resolveExpressionPart(context, this.keyExpression);
          expr = `{ for ${key}, ${value} in ${input}: ${keyExpr} => ${valueExpr} }`;
        } else {
          expr = `[ for ${key}, ${value} in ${input}: ${valueExpr}]`;
        }
        return suppressBraces ? expr : `\${${expr}}`;
      }
    };
    function forExpression(input, valueExpression, keyExpression) {
      return new ForExpression(input, valueExpression, keyExpression);
    }
    var Dependable = class extends TFExpression {
      constructor(dependable2) {
        super(dependable2);
        this.dependable = dependable2;
      }
      resolve(context) {
        context.suppressBraces = true;
        return this.dependable.fqn;
      }
    };
    function dependable(dependable2) {
      return token_1.Token.asString(new Dependable(dependable2));
    }
  }
});

// node_modules/cdktf/lib/terraform-element.js
var require_terraform_element = __commonJS({
  "node_modules/cdktf/lib/terraform-element.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformElement = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var assert_1 = __require("assert");
    var constructs_1 = require_lib();
    var tokens_1 = require_tokens();
    var terraform_stack_1 = require_terraform_stack();
    var tfExpression_1 = require_tfExpression();
    var errors_1 = require_errors();
    var TERRAFORM_ELEMENT_SYMBOL = /* @__PURE__ */ Symbol.for("cdktf/TerraformElement");
    var TerraformElement = class extends constructs_1.Construct {
      constructor(scope, id, elementType) {
        super(scope, id);
        this.rawOverrides = {};
        Object.defineProperty(this, TERRAFORM_ELEMENT_SYMBOL, { value: true });
        this._elementType = elementType;
        if (tokens_1.Token.isUnresolved(id)) {
          throw (0, errors_1.unresolvedTokenInConstructId)(id);
        }
        this.node.addMetadata("stacktrace", "trace");
      }
      get cdktfStack() {
        return terraform_stack_1.TerraformStack.of(this);
      }
      static isTerraformElement(x) {
        return x !== null && typeof x === "object" && TERRAFORM_ELEMENT_SYMBOL in x;
      }
      toTerraform() {
        return {};
      }
      toHclTerraform() {
        return {};
      }
      toMetadata() {
        return {};
      }
      get fqn() {
        if (!this._fqnToken) {
          (0, assert_1.ok)(!!this._elementType, "Element type not set");
          this._fqnToken = tokens_1.Token.asString((0, tfExpression_1.ref)(`${this._elementType}.${this.friendlyUniqueId}`, this.cdktfStack));
        }
        return this._fqnToken;
      }
      get friendlyUniqueId() {
        if (!this._friendlyUniqueId) {
          if (this._logicalIdOverride) {
            this._friendlyUniqueId = this._logicalIdOverride;
          } else {
            this._friendlyUniqueId = this.cdktfStack.getLogicalId(this);
          }
        }
        return this._friendlyUniqueId;
      }
      /**
       * Overrides the auto-generated logical ID with a specific ID.
       * @param newLogicalId The new logical ID to use for this stack element.
       */
      overrideLogicalId(newLogicalId) {
        (0, assert_1.ok)(!this._fqnToken, "Logical ID may not be overridden once .fqn has been requested. Make sure to override the id before passing the construct to other constructs.");
        this._logicalIdOverride = newLogicalId;
      }
      /**
       * Resets a previously passed logical Id to use the auto-generated logical id again
       */
      resetOverrideLogicalId() {
        (0, assert_1.ok)(!this._fqnToken, "Logical ID may not be overridden once .fqn has been requested. You can only reset the override before you pass the construct to other constructs.");
        this._logicalIdOverride = void 0;
      }
      addOverride(path, value) {
        const parts = path.split(".");
        let curr = this.rawOverrides;
        while (parts.length > 1) {
          const key = parts.shift();
          const isObject = curr[key] != null && typeof curr[key] === "object" && !Array.isArray(curr[key]);
          if (!isObject) {
            curr[key] = {};
          }
          curr = curr[key];
        }
        const lastKey = parts.shift();
        curr[lastKey] = value;
      }
      get constructNodeMetadata() {
        return {
          metadata: {
            path: this.node.path,
            uniqueId: this.friendlyUniqueId,
            stackTrace: this.node.metadata.find((e) => e.type === "stacktrace")?.trace
          }
        };
      }
    };
    exports.TerraformElement = TerraformElement;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformElement[_a] = { fqn: "cdktf.TerraformElement", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-dynamic-block.js
var require_terraform_dynamic_block = __commonJS({
  "node_modules/cdktf/lib/terraform-dynamic-block.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformDynamicBlock = void 0;
    var errors_1 = require_errors();
    var tokens_1 = require_tokens();
    var stack_trace_1 = require_stack_trace2();
    var DYNAMIC_BLOCK_SYMBOL = /* @__PURE__ */ Symbol.for("cdktf/TerraformDynamicBlock");
    var TerraformDynamicBlock = class _TerraformDynamicBlock {
      // labels: TODO: support labels, but they seem to be quite rare (issue: https://github.com/hashicorp/terraform-cdk/issues/1939)
      constructor(args) {
        this.iterator = "each";
        Object.defineProperty(this, DYNAMIC_BLOCK_SYMBOL, { value: true });
        this.creationStack = (0, stack_trace_1.captureStackTrace)();
        this.forEach = args.forEach;
        this.content = args.content;
      }
      static fromDynamicExpression(expr) {
        return new _TerraformDynamicBlock({
          forEach: expr.iterator,
          content: expr.content
        });
      }
      resolve() {
        throw (0, errors_1.dynamicBlockNotSupported)(this.forEach._getForEachExpression());
      }
      toTerraformDynamicBlockJson() {
        return tokens_1.Lazy.anyValue({
          produce: (context) => {
            context.iteratorContext = "DYNAMIC_BLOCK";
            return {
              for_each: this.forEach._getForEachExpression(),
              iterator: this.iterator,
              content: context.resolve(this.content)
            };
          }
        });
      }
      toString() {
        return tokens_1.Token.asString(this);
      }
      /**
       * Turn this Dynamic Block into JSON
       *
       * Called automatically when JSON.stringify() is called on this.
       */
      toJSON() {
        return "<unresolved-terraform-dynamic-block>";
      }
      static isTerraformDynamicBlock(x) {
        return x !== null && typeof x === "object" && DYNAMIC_BLOCK_SYMBOL in x;
      }
    };
    exports.TerraformDynamicBlock = TerraformDynamicBlock;
  }
});

// node_modules/cdktf/lib/util.js
var require_util = __commonJS({
  "node_modules/cdktf/lib/util.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.terraformBinaryName = void 0;
    exports.deepMerge = deepMerge;
    exports.snakeCase = snakeCase;
    exports.keysToSnakeCase = keysToSnakeCase;
    exports.processDynamicAttributesForHcl = processDynamicAttributesForHcl;
    exports.processDynamicAttributes = processDynamicAttributes;
    var errors_1 = require_errors();
    var terraform_dynamic_block_1 = require_terraform_dynamic_block();
    var token_1 = require_token();
    exports.terraformBinaryName = process.env.TERRAFORM_BINARY_NAME || "terraform";
    function deepMerge(target, ...sources) {
      if (token_1.Tokenization.isResolvable(target) && sources.length > 0) {
        throw (0, errors_1.targetNotResolvableWithOverrides)(target.toString());
      }
      for (const source of sources) {
        if (typeof source !== "object" || typeof target !== "object") {
          throw (0, errors_1.sourceOrTargetNotAnObject)(JSON.stringify(source), typeof source, JSON.stringify(target), typeof target);
        }
        for (const key of Object.keys(source)) {
          const value = source[key];
          if (typeof value === "object" && value != null && !Array.isArray(value)) {
            if (typeof target[key] !== "object") {
              target[key] = {};
            }
            if (token_1.Tokenization.isResolvable(value)) {
              target[key] = value;
              continue;
            }
            deepMerge(target[key], value);
          } else if (typeof value === "object" && value != null && Array.isArray(value)) {
            if (Array.isArray(target[key])) {
              target[key] = [...target[key], ...value];
            } else {
              target[key] = value;
            }
          } else if (value === void 0) {
            delete target[key];
          } else {
            target[key] = value;
          }
        }
      }
      return target;
    }
    function snakeCase(str) {
      if (!str)
        return "";
      return String(str).replace(/^[^A-Za-z0-9]*|[^A-Za-z0-9]*$/g, "").replace(/([a-z0-9])([A-Z])/g, (_m, a, b) => a + "_" + b.toLowerCase()).replace(/[^A-Za-z0-9]+|_+/g, "_").toLowerCase();
    }
    function keysToSnakeCase(object) {
      if (token_1.Tokenization.isResolvable(object)) {
        return object;
      }
      if (Array.isArray(object)) {
        return object.map((e) => {
          return typeof e === "object" ? keysToSnakeCase(e) : e;
        });
      }
      const keys = Object.keys(object);
      return keys.reduce((newObject, key) => {
        if (key === "tags" || key === "environment") {
          newObject[key] = object[key];
          return newObject;
        }
        let value = object[key];
        if (typeof value === "object") {
          value = keysToSnakeCase(value);
        }
        if (Array.isArray(value)) {
          value = value.map((e) => {
            return typeof e === "object" ? keysToSnakeCase(e) : e;
          });
        }
        newObject[snakeCase(key)] = value;
        return newObject;
      }, {});
    }
    function processDynamicAttributesForHcl(attributes) {
      const result = {};
      Object.entries(attributes).forEach(([attributeName, value]) => {
        if (terraform_dynamic_block_1.TerraformDynamicBlock.isTerraformDynamicBlock(value)) {
          if (!result.dynamic) {
            result.dynamic = {};
          }
          result.dynamic[attributeName] = value.toTerraformDynamicBlockJson();
        } else {
          const recurse = value !== null && typeof value === "object" && value.constructor === Object;
          result[attributeName] = recurse ? processDynamicAttributesForHcl(value) : value;
        }
      });
      return result;
    }
    function processDynamicAttributes(attributes) {
      const result = {};
      Object.entries(attributes).forEach(([attributeName, value]) => {
        if (terraform_dynamic_block_1.TerraformDynamicBlock.isTerraformDynamicBlock(value)) {
          if (!result.dynamic) {
            result.dynamic = {};
          }
          result.dynamic[attributeName] = value.toTerraformDynamicBlockJson();
        } else {
          const recurse = value !== null && typeof value === "object" && value.constructor === Object;
          result[attributeName] = recurse ? processDynamicAttributes(value) : value;
        }
      });
      return result;
    }
  }
});

// node_modules/cdktf/lib/terraform-provider.js
var require_terraform_provider = __commonJS({
  "node_modules/cdktf/lib/terraform-provider.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformProvider = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var tokens_1 = require_tokens();
    var terraform_element_1 = require_terraform_element();
    var util_1 = require_util();
    var TERRAFORM_PROVIDER_SYMBOL = /* @__PURE__ */ Symbol.for("cdktf/TerraformProvider");
    var TerraformProvider = class extends terraform_element_1.TerraformElement {
      constructor(scope, id, config) {
        super(scope, id);
        Object.defineProperty(this, TERRAFORM_PROVIDER_SYMBOL, { value: true });
        this.terraformResourceType = config.terraformResourceType;
        this.terraformGeneratorMetadata = config.terraformGeneratorMetadata;
        this.terraformProviderSource = config.terraformProviderSource;
      }
      static isTerraformProvider(x) {
        return x !== null && typeof x === "object" && TERRAFORM_PROVIDER_SYMBOL in x;
      }
      get alias() {
        return void 0;
      }
      set alias(_value) {
      }
      get fqn() {
        return this.alias !== void 0 ? tokens_1.Token.asString(`${this.terraformResourceType}.${this.alias}`) : tokens_1.Token.asString(`${this.terraformResourceType}`);
      }
      get metaAttributes() {
        return this.alias !== void 0 ? { alias: this.alias } : {};
      }
      // jsii can't handle abstract classes?
      synthesizeAttributes() {
        return {};
      }
      synthesizeHclAttributes() {
        return {};
      }
      toHclTerraform() {
        return {
          terraform: {
            required_providers: {
              [this.terraformResourceType]: {
                version: this.terraformGeneratorMetadata?.providerVersion || this.terraformGeneratorMetadata?.providerVersionConstraint,
                // fallback to previous to ease transition
                source: this.terraformProviderSource
              }
            }
          },
          provider: {
            [this.terraformResourceType]: [
              (0, util_1.deepMerge)((0, util_1.keysToSnakeCase)((0, util_1.processDynamicAttributesForHcl)(this.synthesizeHclAttributes())), this.rawOverrides, this.metaAttributes)
            ]
          }
        };
      }
      /**
       * Adds this resource to the terraform JSON output.
       */
      toTerraform() {
        return {
          terraform: {
            required_providers: {
              [this.terraformResourceType]: {
                version: this.terraformGeneratorMetadata?.providerVersion || this.terraformGeneratorMetadata?.providerVersionConstraint,
                // fallback to previous to ease transition
                source: this.terraformProviderSource
              }
            }
          },
          provider: {
            [this.terraformResourceType]: [
              (0, util_1.deepMerge)((0, util_1.keysToSnakeCase)((0, util_1.processDynamicAttributes)(this.synthesizeAttributes())), this.rawOverrides, this.metaAttributes)
            ]
          }
        };
      }
      toMetadata() {
        if (!Object.keys(this.rawOverrides).length) {
          return {};
        }
        return {
          overrides: {
            [this.terraformResourceType]: Object.keys(this.rawOverrides)
          }
        };
      }
    };
    exports.TerraformProvider = TerraformProvider;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformProvider[_a] = { fqn: "cdktf.TerraformProvider", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-backend.js
var require_terraform_backend = __commonJS({
  "node_modules/cdktf/lib/terraform-backend.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformBackend = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_element_1 = require_terraform_element();
    var util_1 = require_util();
    var BACKEND_SYMBOL = /* @__PURE__ */ Symbol.for("cdktf/TerraformBackend");
    var TerraformBackend = class extends terraform_element_1.TerraformElement {
      constructor(scope, id, name) {
        super(scope, id);
        this.name = name;
        Object.defineProperty(this, BACKEND_SYMBOL, { value: true });
      }
      static isBackend(x) {
        return x !== null && typeof x === "object" && BACKEND_SYMBOL in x;
      }
      // jsii can't handle abstract classes?
      synthesizeAttributes() {
        return {};
      }
      synthesizeHclAttributes() {
        return {};
      }
      toHclTerraform() {
        return {
          terraform: {
            backend: {
              [this.name]: (0, util_1.deepMerge)(this.synthesizeHclAttributes(), this.rawOverrides)
            }
          }
        };
      }
      /**
       * Adds this resource to the terraform JSON output.
       */
      toTerraform() {
        return {
          terraform: {
            backend: {
              [this.name]: (0, util_1.deepMerge)(this.synthesizeAttributes(), this.rawOverrides)
            }
          }
        };
      }
      toMetadata() {
        return {
          backend: this.name,
          ...Object.keys(this.rawOverrides).length > 0 ? { overrides: { backend: Object.keys(this.rawOverrides) } } : {}
        };
      }
    };
    exports.TerraformBackend = TerraformBackend;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformBackend[_a] = { fqn: "cdktf.TerraformBackend", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-remote-state.js
var require_terraform_remote_state = __commonJS({
  "node_modules/cdktf/lib/terraform-remote-state.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformRemoteState = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_element_1 = require_terraform_element();
    var tokens_1 = require_tokens();
    var util_1 = require_util();
    var tfExpression_1 = require_tfExpression();
    var TerraformRemoteState = class extends terraform_element_1.TerraformElement {
      constructor(scope, id, backend, config) {
        super(scope, id, "data.terraform_remote_state");
        this.backend = backend;
        this.config = config;
      }
      getString(output) {
        return tokens_1.Token.asString(this.interpolationForAttribute(output));
      }
      getNumber(output) {
        return tokens_1.Token.asNumber(this.interpolationForAttribute(output));
      }
      getList(output) {
        return tokens_1.Token.asList(this.interpolationForAttribute(output));
      }
      getBoolean(output) {
        return this.interpolationForAttribute(output);
      }
      get(output) {
        return this.interpolationForAttribute(output);
      }
      interpolationForAttribute(terraformAttribute) {
        return (0, tfExpression_1.ref)(`data.terraform_remote_state.${this.friendlyUniqueId}.outputs.${terraformAttribute}`, this.cdktfStack);
      }
      extractConfig() {
        const configObj = (0, util_1.keysToSnakeCase)({ ...this.config });
        delete configObj.workspace;
        delete configObj.defaults;
        return configObj;
      }
      /**
       * Adds this resource to the terraform JSON output.
       */
      toHclTerraform() {
        return {
          data: {
            terraform_remote_state: {
              [this.friendlyUniqueId]: (0, util_1.deepMerge)({
                backend: this.backend,
                workspace: this.config.workspace,
                defaults: this.config.defaults,
                config: this.extractConfig()
              }, this.rawOverrides)
            }
          }
        };
      }
      /**
       * Adds this resource to the terraform JSON output.
       */
      toTerraform() {
        return {
          data: {
            terraform_remote_state: {
              [this.friendlyUniqueId]: (0, util_1.deepMerge)({
                backend: this.backend,
                workspace: this.config.workspace,
                defaults: this.config.defaults,
                config: this.extractConfig()
              }, this.rawOverrides)
            }
          }
        };
      }
      toMetadata() {
        if (!Object.keys(this.rawOverrides).length) {
          return {};
        }
        return {
          overrides: {
            terraform_remote_state: Object.keys(this.rawOverrides)
          }
        };
      }
    };
    exports.TerraformRemoteState = TerraformRemoteState;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformRemoteState[_a] = { fqn: "cdktf.TerraformRemoteState", version: "0.21.0" };
    TerraformRemoteState.tfResourceType = "terraform_remote_state";
  }
});

// node_modules/cdktf/lib/backends/local-backend.js
var require_local_backend = __commonJS({
  "node_modules/cdktf/lib/backends/local-backend.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DataTerraformRemoteStateLocal = exports.LocalBackend = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var path = __require("path");
    var terraform_backend_1 = require_terraform_backend();
    var util_1 = require_util();
    var terraform_remote_state_1 = require_terraform_remote_state();
    var __1 = require_lib2();
    var LocalBackend = class extends terraform_backend_1.TerraformBackend {
      constructor(scope, props = {}) {
        super(scope, "backend", "local");
        const stackId = __1.TerraformStack.of(this).node.id;
        this.props = {
          ...props,
          path: props.path || path.join(process.cwd(), `terraform.${stackId}.tfstate`)
        };
      }
      synthesizeHclAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      synthesizeAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      getRemoteStateDataSource(scope, name, fromStack) {
        return new DataTerraformRemoteStateLocal(scope, name, {
          workspaceDir: this.props.workspaceDir,
          path: this.props.path || path.join(process.cwd(), `terraform.${fromStack}.tfstate`),
          workspace: "${terraform.workspace}"
        });
      }
    };
    exports.LocalBackend = LocalBackend;
    _a = JSII_RTTI_SYMBOL_1;
    LocalBackend[_a] = { fqn: "cdktf.LocalBackend", version: "0.21.0" };
    var DataTerraformRemoteStateLocal = class extends terraform_remote_state_1.TerraformRemoteState {
      constructor(scope, id, config) {
        super(scope, id, "local", config);
      }
    };
    exports.DataTerraformRemoteStateLocal = DataTerraformRemoteStateLocal;
    _b = JSII_RTTI_SYMBOL_1;
    DataTerraformRemoteStateLocal[_b] = { fqn: "cdktf.DataTerraformRemoteStateLocal", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-output.js
var require_terraform_output = __commonJS({
  "node_modules/cdktf/lib/terraform-output.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformOutput = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_element_1 = require_terraform_element();
    var util_1 = require_util();
    var util_2 = __require("util");
    var tokens_1 = require_tokens();
    var TERRAFORM_OUTPUT_SYMBOL = /* @__PURE__ */ Symbol.for("cdktf/TerraformOutput");
    var TerraformOutput2 = class extends terraform_element_1.TerraformElement {
      constructor(scope, id, config) {
        super(scope, id);
        this.value = config.value;
        this.description = config.description;
        this.sensitive = config.sensitive;
        this.dependsOn = config.dependsOn;
        this.staticId = config.staticId || false;
        this.precondition = config.precondition;
        Object.defineProperty(this, TERRAFORM_OUTPUT_SYMBOL, { value: true });
      }
      static isTerraformOutput(x) {
        return x !== null && typeof x === "object" && TERRAFORM_OUTPUT_SYMBOL in x;
      }
      set staticId(staticId) {
        if (staticId)
          this.overrideLogicalId(this.node.id);
        else
          this.resetOverrideLogicalId();
      }
      get staticId() {
        return this.friendlyUniqueId === this.node.id;
      }
      isITerraformAddressable(object) {
        return object && typeof object === "object" && !(0, util_2.isArray)(object) && "fqn" in object;
      }
      synthesizeValue(arg) {
        if (tokens_1.Token.isUnresolved(arg)) {
          return arg;
        }
        if (this.isITerraformAddressable(arg)) {
          return arg.fqn;
        }
        if (Array.isArray(arg)) {
          return arg.map((innerArg) => this.synthesizeValue(innerArg));
        }
        if (typeof arg === "object") {
          return Object.keys(arg).reduce((result, key) => {
            result[key] = this.synthesizeValue(arg[key]);
            return result;
          }, {});
        }
        return arg;
      }
      synthesizeAttributes() {
        return {
          value: this.synthesizeValue(this.value),
          description: this.description,
          sensitive: this.sensitive,
          depends_on: this.dependsOn?.map((resource) => resource.fqn)
        };
      }
      synthesizeHclAttributes() {
        return Object.fromEntries(Object.entries({
          value: {
            value: this.synthesizeValue(this.value),
            type: "any",
            isBlock: false,
            storageClassType: ""
          },
          description: {
            value: this.description,
            type: "simple",
            isBlock: false,
            storageClassType: "string"
          },
          sensitive: {
            value: this.sensitive,
            type: "simple",
            isBlock: false,
            storageClassType: "bool"
          },
          depends_on: {
            value: this.dependsOn?.map((resource) => resource.fqn),
            type: "list",
            isBlock: false,
            storageClassType: "stringList"
          }
        }).filter(([, value]) => value.value !== void 0));
      }
      toHclTerraform() {
        return {
          output: {
            [this.friendlyUniqueId]: (0, util_1.deepMerge)(this.synthesizeHclAttributes(), this.rawOverrides)
          }
        };
      }
      toTerraform() {
        return {
          output: {
            [this.friendlyUniqueId]: (0, util_1.deepMerge)(this.synthesizeAttributes(), this.rawOverrides)
          }
        };
      }
      toMetadata() {
        if (!Object.keys(this.rawOverrides).length) {
          return {};
        }
        return {
          overrides: {
            output: Object.keys(this.rawOverrides)
          }
        };
      }
    };
    exports.TerraformOutput = TerraformOutput2;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformOutput2[_a] = { fqn: "cdktf.TerraformOutput", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/private/unique.js
var require_unique = __commonJS({
  "node_modules/cdktf/lib/private/unique.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.makeUniqueId = makeUniqueId;
    var crypto = __require("crypto");
    var errors_1 = require_errors();
    var HIDDEN_FROM_HUMAN_ID = "Resource";
    var HIDDEN_ID = "Default";
    var PATH_SEP = "/";
    var UNIQUE_SEP = "_";
    var HASH_LEN = 8;
    var MAX_HUMAN_LEN = 240;
    var MAX_ID_LEN = 255;
    function makeUniqueId(components) {
      components = components.filter((x) => x !== HIDDEN_ID);
      if (components.length === 0) {
        throw (0, errors_1.cannotCalcIdForEmptySetOfComponents)();
      }
      if (components.length === 1) {
        const candidate = removeDisallowedCharacters(components[0]);
        if (candidate.length <= MAX_ID_LEN) {
          return candidate;
        }
      }
      const hash = pathHash(components);
      const human = removeDupes(components).filter((x) => x !== HIDDEN_FROM_HUMAN_ID).map((s) => removeDisallowedCharacters(s)).join(UNIQUE_SEP).slice(0, MAX_HUMAN_LEN);
      return human + UNIQUE_SEP + hash;
    }
    function pathHash(path) {
      const md5 = crypto.createHash("md5").update(path.join(PATH_SEP)).digest("hex");
      return md5.slice(0, HASH_LEN).toUpperCase();
    }
    function removeDisallowedCharacters(s) {
      return removeNonAlphanumericSep(s);
    }
    function removeNonAlphanumericSep(s) {
      return s.replace(/[^A-Za-z0-9_-]/g, "");
    }
    function removeDupes(path) {
      const ret = new Array();
      for (const component of path) {
        if (ret.length === 0 || !ret[ret.length - 1].endsWith(component)) {
          ret.push(component);
        }
      }
      return ret;
    }
  }
});

// node_modules/cdktf/lib/aspect.js
var require_aspect = __commonJS({
  "node_modules/cdktf/lib/aspect.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Aspects = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var ASPECTS_SYMBOL = /* @__PURE__ */ Symbol("cdktf-aspects");
    var Aspects = class _Aspects {
      /**
       * Returns the `Aspects` object associated with a construct scope.
       * @param scope The scope for which these aspects will apply.
       */
      static of(scope) {
        let aspects = scope[ASPECTS_SYMBOL];
        if (!aspects) {
          aspects = new _Aspects();
          Object.defineProperty(scope, ASPECTS_SYMBOL, {
            value: aspects,
            configurable: false,
            enumerable: false
          });
        }
        return aspects;
      }
      constructor() {
        this._aspects = [];
      }
      /**
       * Adds an aspect to apply this scope before synthesis.
       * @param aspect The aspect to add.
       */
      add(aspect) {
        this._aspects.push(aspect);
      }
      /**
       * The list of aspects which were directly applied on this scope.
       */
      get all() {
        return [...this._aspects];
      }
    };
    exports.Aspects = Aspects;
    _a = JSII_RTTI_SYMBOL_1;
    Aspects[_a] = { fqn: "cdktf.Aspects", version: "0.21.0" };
  }
});

// node_modules/cdktf/node_modules/semver/internal/constants.js
var require_constants = __commonJS({
  "node_modules/cdktf/node_modules/semver/internal/constants.js"(exports, module) {
    "use strict";
    var SEMVER_SPEC_VERSION = "2.0.0";
    var MAX_LENGTH = 256;
    var MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER || /* istanbul ignore next */
    9007199254740991;
    var MAX_SAFE_COMPONENT_LENGTH = 16;
    var MAX_SAFE_BUILD_LENGTH = MAX_LENGTH - 6;
    var RELEASE_TYPES = [
      "major",
      "premajor",
      "minor",
      "preminor",
      "patch",
      "prepatch",
      "prerelease"
    ];
    module.exports = {
      MAX_LENGTH,
      MAX_SAFE_COMPONENT_LENGTH,
      MAX_SAFE_BUILD_LENGTH,
      MAX_SAFE_INTEGER,
      RELEASE_TYPES,
      SEMVER_SPEC_VERSION,
      FLAG_INCLUDE_PRERELEASE: 1,
      FLAG_LOOSE: 2
    };
  }
});

// node_modules/cdktf/node_modules/semver/internal/debug.js
var require_debug = __commonJS({
  "node_modules/cdktf/node_modules/semver/internal/debug.js"(exports, module) {
    "use strict";
    var debug = typeof process === "object" && process.env && process.env.NODE_DEBUG && /\bsemver\b/i.test(process.env.NODE_DEBUG) ? (...args) => console.error("SEMVER", ...args) : () => {
    };
    module.exports = debug;
  }
});

// node_modules/cdktf/node_modules/semver/internal/re.js
var require_re = __commonJS({
  "node_modules/cdktf/node_modules/semver/internal/re.js"(exports, module) {
    "use strict";
    var {
      MAX_SAFE_COMPONENT_LENGTH,
      MAX_SAFE_BUILD_LENGTH,
      MAX_LENGTH
    } = require_constants();
    var debug = require_debug();
    exports = module.exports = {};
    var re = exports.re = [];
    var safeRe = exports.safeRe = [];
    var src = exports.src = [];
    var safeSrc = exports.safeSrc = [];
    var t = exports.t = {};
    var R = 0;
    var LETTERDASHNUMBER = "[a-zA-Z0-9-]";
    var safeRegexReplacements = [
      ["\\s", 1],
      ["\\d", MAX_LENGTH],
      [LETTERDASHNUMBER, MAX_SAFE_BUILD_LENGTH]
    ];
    var makeSafeRegex = (value) => {
      for (const [token, max] of safeRegexReplacements) {
        value = value.split(`${token}*`).join(`${token}{0,${max}}`).split(`${token}+`).join(`${token}{1,${max}}`);
      }
      return value;
    };
    var createToken = (name, value, isGlobal) => {
      const safe = makeSafeRegex(value);
      const index = R++;
      debug(name, index, value);
      t[name] = index;
      src[index] = value;
      safeSrc[index] = safe;
      re[index] = new RegExp(value, isGlobal ? "g" : void 0);
      safeRe[index] = new RegExp(safe, isGlobal ? "g" : void 0);
    };
    createToken("NUMERICIDENTIFIER", "0|[1-9]\\d*");
    createToken("NUMERICIDENTIFIERLOOSE", "\\d+");
    createToken("NONNUMERICIDENTIFIER", `\\d*[a-zA-Z-]${LETTERDASHNUMBER}*`);
    createToken("MAINVERSION", `(${src[t.NUMERICIDENTIFIER]})\\.(${src[t.NUMERICIDENTIFIER]})\\.(${src[t.NUMERICIDENTIFIER]})`);
    createToken("MAINVERSIONLOOSE", `(${src[t.NUMERICIDENTIFIERLOOSE]})\\.(${src[t.NUMERICIDENTIFIERLOOSE]})\\.(${src[t.NUMERICIDENTIFIERLOOSE]})`);
    createToken("PRERELEASEIDENTIFIER", `(?:${src[t.NONNUMERICIDENTIFIER]}|${src[t.NUMERICIDENTIFIER]})`);
    createToken("PRERELEASEIDENTIFIERLOOSE", `(?:${src[t.NONNUMERICIDENTIFIER]}|${src[t.NUMERICIDENTIFIERLOOSE]})`);
    createToken("PRERELEASE", `(?:-(${src[t.PRERELEASEIDENTIFIER]}(?:\\.${src[t.PRERELEASEIDENTIFIER]})*))`);
    createToken("PRERELEASELOOSE", `(?:-?(${src[t.PRERELEASEIDENTIFIERLOOSE]}(?:\\.${src[t.PRERELEASEIDENTIFIERLOOSE]})*))`);
    createToken("BUILDIDENTIFIER", `${LETTERDASHNUMBER}+`);
    createToken("BUILD", `(?:\\+(${src[t.BUILDIDENTIFIER]}(?:\\.${src[t.BUILDIDENTIFIER]})*))`);
    createToken("FULLPLAIN", `v?${src[t.MAINVERSION]}${src[t.PRERELEASE]}?${src[t.BUILD]}?`);
    createToken("FULL", `^${src[t.FULLPLAIN]}$`);
    createToken("LOOSEPLAIN", `[v=\\s]*${src[t.MAINVERSIONLOOSE]}${src[t.PRERELEASELOOSE]}?${src[t.BUILD]}?`);
    createToken("LOOSE", `^${src[t.LOOSEPLAIN]}$`);
    createToken("GTLT", "((?:<|>)?=?)");
    createToken("XRANGEIDENTIFIERLOOSE", `${src[t.NUMERICIDENTIFIERLOOSE]}|x|X|\\*`);
    createToken("XRANGEIDENTIFIER", `${src[t.NUMERICIDENTIFIER]}|x|X|\\*`);
    createToken("XRANGEPLAIN", `[v=\\s]*(${src[t.XRANGEIDENTIFIER]})(?:\\.(${src[t.XRANGEIDENTIFIER]})(?:\\.(${src[t.XRANGEIDENTIFIER]})(?:${src[t.PRERELEASE]})?${src[t.BUILD]}?)?)?`);
    createToken("XRANGEPLAINLOOSE", `[v=\\s]*(${src[t.XRANGEIDENTIFIERLOOSE]})(?:\\.(${src[t.XRANGEIDENTIFIERLOOSE]})(?:\\.(${src[t.XRANGEIDENTIFIERLOOSE]})(?:${src[t.PRERELEASELOOSE]})?${src[t.BUILD]}?)?)?`);
    createToken("XRANGE", `^${src[t.GTLT]}\\s*${src[t.XRANGEPLAIN]}$`);
    createToken("XRANGELOOSE", `^${src[t.GTLT]}\\s*${src[t.XRANGEPLAINLOOSE]}$`);
    createToken("COERCEPLAIN", `${"(^|[^\\d])(\\d{1,"}${MAX_SAFE_COMPONENT_LENGTH}})(?:\\.(\\d{1,${MAX_SAFE_COMPONENT_LENGTH}}))?(?:\\.(\\d{1,${MAX_SAFE_COMPONENT_LENGTH}}))?`);
    createToken("COERCE", `${src[t.COERCEPLAIN]}(?:$|[^\\d])`);
    createToken("COERCEFULL", src[t.COERCEPLAIN] + `(?:${src[t.PRERELEASE]})?(?:${src[t.BUILD]})?(?:$|[^\\d])`);
    createToken("COERCERTL", src[t.COERCE], true);
    createToken("COERCERTLFULL", src[t.COERCEFULL], true);
    createToken("LONETILDE", "(?:~>?)");
    createToken("TILDETRIM", `(\\s*)${src[t.LONETILDE]}\\s+`, true);
    exports.tildeTrimReplace = "$1~";
    createToken("TILDE", `^${src[t.LONETILDE]}${src[t.XRANGEPLAIN]}$`);
    createToken("TILDELOOSE", `^${src[t.LONETILDE]}${src[t.XRANGEPLAINLOOSE]}$`);
    createToken("LONECARET", "(?:\\^)");
    createToken("CARETTRIM", `(\\s*)${src[t.LONECARET]}\\s+`, true);
    exports.caretTrimReplace = "$1^";
    createToken("CARET", `^${src[t.LONECARET]}${src[t.XRANGEPLAIN]}$`);
    createToken("CARETLOOSE", `^${src[t.LONECARET]}${src[t.XRANGEPLAINLOOSE]}$`);
    createToken("COMPARATORLOOSE", `^${src[t.GTLT]}\\s*(${src[t.LOOSEPLAIN]})$|^$`);
    createToken("COMPARATOR", `^${src[t.GTLT]}\\s*(${src[t.FULLPLAIN]})$|^$`);
    createToken("COMPARATORTRIM", `(\\s*)${src[t.GTLT]}\\s*(${src[t.LOOSEPLAIN]}|${src[t.XRANGEPLAIN]})`, true);
    exports.comparatorTrimReplace = "$1$2$3";
    createToken("HYPHENRANGE", `^\\s*(${src[t.XRANGEPLAIN]})\\s+-\\s+(${src[t.XRANGEPLAIN]})\\s*$`);
    createToken("HYPHENRANGELOOSE", `^\\s*(${src[t.XRANGEPLAINLOOSE]})\\s+-\\s+(${src[t.XRANGEPLAINLOOSE]})\\s*$`);
    createToken("STAR", "(<|>)?=?\\s*\\*");
    createToken("GTE0", "^\\s*>=\\s*0\\.0\\.0\\s*$");
    createToken("GTE0PRE", "^\\s*>=\\s*0\\.0\\.0-0\\s*$");
  }
});

// node_modules/cdktf/node_modules/semver/internal/parse-options.js
var require_parse_options = __commonJS({
  "node_modules/cdktf/node_modules/semver/internal/parse-options.js"(exports, module) {
    "use strict";
    var looseOption = Object.freeze({ loose: true });
    var emptyOpts = Object.freeze({});
    var parseOptions = (options) => {
      if (!options) {
        return emptyOpts;
      }
      if (typeof options !== "object") {
        return looseOption;
      }
      return options;
    };
    module.exports = parseOptions;
  }
});

// node_modules/cdktf/node_modules/semver/internal/identifiers.js
var require_identifiers = __commonJS({
  "node_modules/cdktf/node_modules/semver/internal/identifiers.js"(exports, module) {
    "use strict";
    var numeric = /^[0-9]+$/;
    var compareIdentifiers = (a, b) => {
      const anum = numeric.test(a);
      const bnum = numeric.test(b);
      if (anum && bnum) {
        a = +a;
        b = +b;
      }
      return a === b ? 0 : anum && !bnum ? -1 : bnum && !anum ? 1 : a < b ? -1 : 1;
    };
    var rcompareIdentifiers = (a, b) => compareIdentifiers(b, a);
    module.exports = {
      compareIdentifiers,
      rcompareIdentifiers
    };
  }
});

// node_modules/cdktf/node_modules/semver/classes/semver.js
var require_semver = __commonJS({
  "node_modules/cdktf/node_modules/semver/classes/semver.js"(exports, module) {
    "use strict";
    var debug = require_debug();
    var { MAX_LENGTH, MAX_SAFE_INTEGER } = require_constants();
    var { safeRe: re, t } = require_re();
    var parseOptions = require_parse_options();
    var { compareIdentifiers } = require_identifiers();
    var SemVer = class _SemVer {
      constructor(version, options) {
        options = parseOptions(options);
        if (version instanceof _SemVer) {
          if (version.loose === !!options.loose && version.includePrerelease === !!options.includePrerelease) {
            return version;
          } else {
            version = version.version;
          }
        } else if (typeof version !== "string") {
          throw new TypeError(`Invalid version. Must be a string. Got type "${typeof version}".`);
        }
        if (version.length > MAX_LENGTH) {
          throw new TypeError(
            `version is longer than ${MAX_LENGTH} characters`
          );
        }
        debug("SemVer", version, options);
        this.options = options;
        this.loose = !!options.loose;
        this.includePrerelease = !!options.includePrerelease;
        const m = version.trim().match(options.loose ? re[t.LOOSE] : re[t.FULL]);
        if (!m) {
          throw new TypeError(`Invalid Version: ${version}`);
        }
        this.raw = version;
        this.major = +m[1];
        this.minor = +m[2];
        this.patch = +m[3];
        if (this.major > MAX_SAFE_INTEGER || this.major < 0) {
          throw new TypeError("Invalid major version");
        }
        if (this.minor > MAX_SAFE_INTEGER || this.minor < 0) {
          throw new TypeError("Invalid minor version");
        }
        if (this.patch > MAX_SAFE_INTEGER || this.patch < 0) {
          throw new TypeError("Invalid patch version");
        }
        if (!m[4]) {
          this.prerelease = [];
        } else {
          this.prerelease = m[4].split(".").map((id) => {
            if (/^[0-9]+$/.test(id)) {
              const num = +id;
              if (num >= 0 && num < MAX_SAFE_INTEGER) {
                return num;
              }
            }
            return id;
          });
        }
        this.build = m[5] ? m[5].split(".") : [];
        this.format();
      }
      format() {
        this.version = `${this.major}.${this.minor}.${this.patch}`;
        if (this.prerelease.length) {
          this.version += `-${this.prerelease.join(".")}`;
        }
        return this.version;
      }
      toString() {
        return this.version;
      }
      compare(other) {
        debug("SemVer.compare", this.version, this.options, other);
        if (!(other instanceof _SemVer)) {
          if (typeof other === "string" && other === this.version) {
            return 0;
          }
          other = new _SemVer(other, this.options);
        }
        if (other.version === this.version) {
          return 0;
        }
        return this.compareMain(other) || this.comparePre(other);
      }
      compareMain(other) {
        if (!(other instanceof _SemVer)) {
          other = new _SemVer(other, this.options);
        }
        return compareIdentifiers(this.major, other.major) || compareIdentifiers(this.minor, other.minor) || compareIdentifiers(this.patch, other.patch);
      }
      comparePre(other) {
        if (!(other instanceof _SemVer)) {
          other = new _SemVer(other, this.options);
        }
        if (this.prerelease.length && !other.prerelease.length) {
          return -1;
        } else if (!this.prerelease.length && other.prerelease.length) {
          return 1;
        } else if (!this.prerelease.length && !other.prerelease.length) {
          return 0;
        }
        let i = 0;
        do {
          const a = this.prerelease[i];
          const b = other.prerelease[i];
          debug("prerelease compare", i, a, b);
          if (a === void 0 && b === void 0) {
            return 0;
          } else if (b === void 0) {
            return 1;
          } else if (a === void 0) {
            return -1;
          } else if (a === b) {
            continue;
          } else {
            return compareIdentifiers(a, b);
          }
        } while (++i);
      }
      compareBuild(other) {
        if (!(other instanceof _SemVer)) {
          other = new _SemVer(other, this.options);
        }
        let i = 0;
        do {
          const a = this.build[i];
          const b = other.build[i];
          debug("build compare", i, a, b);
          if (a === void 0 && b === void 0) {
            return 0;
          } else if (b === void 0) {
            return 1;
          } else if (a === void 0) {
            return -1;
          } else if (a === b) {
            continue;
          } else {
            return compareIdentifiers(a, b);
          }
        } while (++i);
      }
      // preminor will bump the version up to the next minor release, and immediately
      // down to pre-release. premajor and prepatch work the same way.
      inc(release, identifier, identifierBase) {
        if (release.startsWith("pre")) {
          if (!identifier && identifierBase === false) {
            throw new Error("invalid increment argument: identifier is empty");
          }
          if (identifier) {
            const match = `-${identifier}`.match(this.options.loose ? re[t.PRERELEASELOOSE] : re[t.PRERELEASE]);
            if (!match || match[1] !== identifier) {
              throw new Error(`invalid identifier: ${identifier}`);
            }
          }
        }
        switch (release) {
          case "premajor":
            this.prerelease.length = 0;
            this.patch = 0;
            this.minor = 0;
            this.major++;
            this.inc("pre", identifier, identifierBase);
            break;
          case "preminor":
            this.prerelease.length = 0;
            this.patch = 0;
            this.minor++;
            this.inc("pre", identifier, identifierBase);
            break;
          case "prepatch":
            this.prerelease.length = 0;
            this.inc("patch", identifier, identifierBase);
            this.inc("pre", identifier, identifierBase);
            break;
          // If the input is a non-prerelease version, this acts the same as
          // prepatch.
          case "prerelease":
            if (this.prerelease.length === 0) {
              this.inc("patch", identifier, identifierBase);
            }
            this.inc("pre", identifier, identifierBase);
            break;
          case "release":
            if (this.prerelease.length === 0) {
              throw new Error(`version ${this.raw} is not a prerelease`);
            }
            this.prerelease.length = 0;
            break;
          case "major":
            if (this.minor !== 0 || this.patch !== 0 || this.prerelease.length === 0) {
              this.major++;
            }
            this.minor = 0;
            this.patch = 0;
            this.prerelease = [];
            break;
          case "minor":
            if (this.patch !== 0 || this.prerelease.length === 0) {
              this.minor++;
            }
            this.patch = 0;
            this.prerelease = [];
            break;
          case "patch":
            if (this.prerelease.length === 0) {
              this.patch++;
            }
            this.prerelease = [];
            break;
          // This probably shouldn't be used publicly.
          // 1.0.0 'pre' would become 1.0.0-0 which is the wrong direction.
          case "pre": {
            const base = Number(identifierBase) ? 1 : 0;
            if (this.prerelease.length === 0) {
              this.prerelease = [base];
            } else {
              let i = this.prerelease.length;
              while (--i >= 0) {
                if (typeof this.prerelease[i] === "number") {
                  this.prerelease[i]++;
                  i = -2;
                }
              }
              if (i === -1) {
                if (identifier === this.prerelease.join(".") && identifierBase === false) {
                  throw new Error("invalid increment argument: identifier already exists");
                }
                this.prerelease.push(base);
              }
            }
            if (identifier) {
              let prerelease = [identifier, base];
              if (identifierBase === false) {
                prerelease = [identifier];
              }
              if (compareIdentifiers(this.prerelease[0], identifier) === 0) {
                if (isNaN(this.prerelease[1])) {
                  this.prerelease = prerelease;
                }
              } else {
                this.prerelease = prerelease;
              }
            }
            break;
          }
          default:
            throw new Error(`invalid increment argument: ${release}`);
        }
        this.raw = this.format();
        if (this.build.length) {
          this.raw += `+${this.build.join(".")}`;
        }
        return this;
      }
    };
    module.exports = SemVer;
  }
});

// node_modules/cdktf/node_modules/semver/functions/parse.js
var require_parse2 = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/parse.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var parse = (version, options, throwErrors = false) => {
      if (version instanceof SemVer) {
        return version;
      }
      try {
        return new SemVer(version, options);
      } catch (er) {
        if (!throwErrors) {
          return null;
        }
        throw er;
      }
    };
    module.exports = parse;
  }
});

// node_modules/cdktf/node_modules/semver/functions/valid.js
var require_valid = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/valid.js"(exports, module) {
    "use strict";
    var parse = require_parse2();
    var valid = (version, options) => {
      const v = parse(version, options);
      return v ? v.version : null;
    };
    module.exports = valid;
  }
});

// node_modules/cdktf/node_modules/semver/functions/clean.js
var require_clean = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/clean.js"(exports, module) {
    "use strict";
    var parse = require_parse2();
    var clean = (version, options) => {
      const s = parse(version.trim().replace(/^[=v]+/, ""), options);
      return s ? s.version : null;
    };
    module.exports = clean;
  }
});

// node_modules/cdktf/node_modules/semver/functions/inc.js
var require_inc = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/inc.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var inc = (version, release, options, identifier, identifierBase) => {
      if (typeof options === "string") {
        identifierBase = identifier;
        identifier = options;
        options = void 0;
      }
      try {
        return new SemVer(
          version instanceof SemVer ? version.version : version,
          options
        ).inc(release, identifier, identifierBase).version;
      } catch (er) {
        return null;
      }
    };
    module.exports = inc;
  }
});

// node_modules/cdktf/node_modules/semver/functions/diff.js
var require_diff = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/diff.js"(exports, module) {
    "use strict";
    var parse = require_parse2();
    var diff = (version1, version2) => {
      const v1 = parse(version1, null, true);
      const v2 = parse(version2, null, true);
      const comparison = v1.compare(v2);
      if (comparison === 0) {
        return null;
      }
      const v1Higher = comparison > 0;
      const highVersion = v1Higher ? v1 : v2;
      const lowVersion = v1Higher ? v2 : v1;
      const highHasPre = !!highVersion.prerelease.length;
      const lowHasPre = !!lowVersion.prerelease.length;
      if (lowHasPre && !highHasPre) {
        if (!lowVersion.patch && !lowVersion.minor) {
          return "major";
        }
        if (lowVersion.compareMain(highVersion) === 0) {
          if (lowVersion.minor && !lowVersion.patch) {
            return "minor";
          }
          return "patch";
        }
      }
      const prefix = highHasPre ? "pre" : "";
      if (v1.major !== v2.major) {
        return prefix + "major";
      }
      if (v1.minor !== v2.minor) {
        return prefix + "minor";
      }
      if (v1.patch !== v2.patch) {
        return prefix + "patch";
      }
      return "prerelease";
    };
    module.exports = diff;
  }
});

// node_modules/cdktf/node_modules/semver/functions/major.js
var require_major = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/major.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var major = (a, loose) => new SemVer(a, loose).major;
    module.exports = major;
  }
});

// node_modules/cdktf/node_modules/semver/functions/minor.js
var require_minor = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/minor.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var minor = (a, loose) => new SemVer(a, loose).minor;
    module.exports = minor;
  }
});

// node_modules/cdktf/node_modules/semver/functions/patch.js
var require_patch = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/patch.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var patch = (a, loose) => new SemVer(a, loose).patch;
    module.exports = patch;
  }
});

// node_modules/cdktf/node_modules/semver/functions/prerelease.js
var require_prerelease = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/prerelease.js"(exports, module) {
    "use strict";
    var parse = require_parse2();
    var prerelease = (version, options) => {
      const parsed = parse(version, options);
      return parsed && parsed.prerelease.length ? parsed.prerelease : null;
    };
    module.exports = prerelease;
  }
});

// node_modules/cdktf/node_modules/semver/functions/compare.js
var require_compare = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/compare.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var compare = (a, b, loose) => new SemVer(a, loose).compare(new SemVer(b, loose));
    module.exports = compare;
  }
});

// node_modules/cdktf/node_modules/semver/functions/rcompare.js
var require_rcompare = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/rcompare.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var rcompare = (a, b, loose) => compare(b, a, loose);
    module.exports = rcompare;
  }
});

// node_modules/cdktf/node_modules/semver/functions/compare-loose.js
var require_compare_loose = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/compare-loose.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var compareLoose = (a, b) => compare(a, b, true);
    module.exports = compareLoose;
  }
});

// node_modules/cdktf/node_modules/semver/functions/compare-build.js
var require_compare_build = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/compare-build.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var compareBuild = (a, b, loose) => {
      const versionA = new SemVer(a, loose);
      const versionB = new SemVer(b, loose);
      return versionA.compare(versionB) || versionA.compareBuild(versionB);
    };
    module.exports = compareBuild;
  }
});

// node_modules/cdktf/node_modules/semver/functions/sort.js
var require_sort = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/sort.js"(exports, module) {
    "use strict";
    var compareBuild = require_compare_build();
    var sort = (list, loose) => list.sort((a, b) => compareBuild(a, b, loose));
    module.exports = sort;
  }
});

// node_modules/cdktf/node_modules/semver/functions/rsort.js
var require_rsort = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/rsort.js"(exports, module) {
    "use strict";
    var compareBuild = require_compare_build();
    var rsort = (list, loose) => list.sort((a, b) => compareBuild(b, a, loose));
    module.exports = rsort;
  }
});

// node_modules/cdktf/node_modules/semver/functions/gt.js
var require_gt = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/gt.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var gt = (a, b, loose) => compare(a, b, loose) > 0;
    module.exports = gt;
  }
});

// node_modules/cdktf/node_modules/semver/functions/lt.js
var require_lt = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/lt.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var lt = (a, b, loose) => compare(a, b, loose) < 0;
    module.exports = lt;
  }
});

// node_modules/cdktf/node_modules/semver/functions/eq.js
var require_eq = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/eq.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var eq = (a, b, loose) => compare(a, b, loose) === 0;
    module.exports = eq;
  }
});

// node_modules/cdktf/node_modules/semver/functions/neq.js
var require_neq = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/neq.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var neq = (a, b, loose) => compare(a, b, loose) !== 0;
    module.exports = neq;
  }
});

// node_modules/cdktf/node_modules/semver/functions/gte.js
var require_gte = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/gte.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var gte = (a, b, loose) => compare(a, b, loose) >= 0;
    module.exports = gte;
  }
});

// node_modules/cdktf/node_modules/semver/functions/lte.js
var require_lte = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/lte.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var lte = (a, b, loose) => compare(a, b, loose) <= 0;
    module.exports = lte;
  }
});

// node_modules/cdktf/node_modules/semver/functions/cmp.js
var require_cmp = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/cmp.js"(exports, module) {
    "use strict";
    var eq = require_eq();
    var neq = require_neq();
    var gt = require_gt();
    var gte = require_gte();
    var lt = require_lt();
    var lte = require_lte();
    var cmp = (a, op, b, loose) => {
      switch (op) {
        case "===":
          if (typeof a === "object") {
            a = a.version;
          }
          if (typeof b === "object") {
            b = b.version;
          }
          return a === b;
        case "!==":
          if (typeof a === "object") {
            a = a.version;
          }
          if (typeof b === "object") {
            b = b.version;
          }
          return a !== b;
        case "":
        case "=":
        case "==":
          return eq(a, b, loose);
        case "!=":
          return neq(a, b, loose);
        case ">":
          return gt(a, b, loose);
        case ">=":
          return gte(a, b, loose);
        case "<":
          return lt(a, b, loose);
        case "<=":
          return lte(a, b, loose);
        default:
          throw new TypeError(`Invalid operator: ${op}`);
      }
    };
    module.exports = cmp;
  }
});

// node_modules/cdktf/node_modules/semver/functions/coerce.js
var require_coerce = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/coerce.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var parse = require_parse2();
    var { safeRe: re, t } = require_re();
    var coerce = (version, options) => {
      if (version instanceof SemVer) {
        return version;
      }
      if (typeof version === "number") {
        version = String(version);
      }
      if (typeof version !== "string") {
        return null;
      }
      options = options || {};
      let match = null;
      if (!options.rtl) {
        match = version.match(options.includePrerelease ? re[t.COERCEFULL] : re[t.COERCE]);
      } else {
        const coerceRtlRegex = options.includePrerelease ? re[t.COERCERTLFULL] : re[t.COERCERTL];
        let next;
        while ((next = coerceRtlRegex.exec(version)) && (!match || match.index + match[0].length !== version.length)) {
          if (!match || next.index + next[0].length !== match.index + match[0].length) {
            match = next;
          }
          coerceRtlRegex.lastIndex = next.index + next[1].length + next[2].length;
        }
        coerceRtlRegex.lastIndex = -1;
      }
      if (match === null) {
        return null;
      }
      const major = match[2];
      const minor = match[3] || "0";
      const patch = match[4] || "0";
      const prerelease = options.includePrerelease && match[5] ? `-${match[5]}` : "";
      const build = options.includePrerelease && match[6] ? `+${match[6]}` : "";
      return parse(`${major}.${minor}.${patch}${prerelease}${build}`, options);
    };
    module.exports = coerce;
  }
});

// node_modules/cdktf/node_modules/semver/internal/lrucache.js
var require_lrucache = __commonJS({
  "node_modules/cdktf/node_modules/semver/internal/lrucache.js"(exports, module) {
    "use strict";
    var LRUCache = class {
      constructor() {
        this.max = 1e3;
        this.map = /* @__PURE__ */ new Map();
      }
      get(key) {
        const value = this.map.get(key);
        if (value === void 0) {
          return void 0;
        } else {
          this.map.delete(key);
          this.map.set(key, value);
          return value;
        }
      }
      delete(key) {
        return this.map.delete(key);
      }
      set(key, value) {
        const deleted = this.delete(key);
        if (!deleted && value !== void 0) {
          if (this.map.size >= this.max) {
            const firstKey = this.map.keys().next().value;
            this.delete(firstKey);
          }
          this.map.set(key, value);
        }
        return this;
      }
    };
    module.exports = LRUCache;
  }
});

// node_modules/cdktf/node_modules/semver/classes/range.js
var require_range2 = __commonJS({
  "node_modules/cdktf/node_modules/semver/classes/range.js"(exports, module) {
    "use strict";
    var SPACE_CHARACTERS = /\s+/g;
    var Range = class _Range {
      constructor(range, options) {
        options = parseOptions(options);
        if (range instanceof _Range) {
          if (range.loose === !!options.loose && range.includePrerelease === !!options.includePrerelease) {
            return range;
          } else {
            return new _Range(range.raw, options);
          }
        }
        if (range instanceof Comparator) {
          this.raw = range.value;
          this.set = [[range]];
          this.formatted = void 0;
          return this;
        }
        this.options = options;
        this.loose = !!options.loose;
        this.includePrerelease = !!options.includePrerelease;
        this.raw = range.trim().replace(SPACE_CHARACTERS, " ");
        this.set = this.raw.split("||").map((r) => this.parseRange(r.trim())).filter((c) => c.length);
        if (!this.set.length) {
          throw new TypeError(`Invalid SemVer Range: ${this.raw}`);
        }
        if (this.set.length > 1) {
          const first = this.set[0];
          this.set = this.set.filter((c) => !isNullSet(c[0]));
          if (this.set.length === 0) {
            this.set = [first];
          } else if (this.set.length > 1) {
            for (const c of this.set) {
              if (c.length === 1 && isAny(c[0])) {
                this.set = [c];
                break;
              }
            }
          }
        }
        this.formatted = void 0;
      }
      get range() {
        if (this.formatted === void 0) {
          this.formatted = "";
          for (let i = 0; i < this.set.length; i++) {
            if (i > 0) {
              this.formatted += "||";
            }
            const comps = this.set[i];
            for (let k = 0; k < comps.length; k++) {
              if (k > 0) {
                this.formatted += " ";
              }
              this.formatted += comps[k].toString().trim();
            }
          }
        }
        return this.formatted;
      }
      format() {
        return this.range;
      }
      toString() {
        return this.range;
      }
      parseRange(range) {
        const memoOpts = (this.options.includePrerelease && FLAG_INCLUDE_PRERELEASE) | (this.options.loose && FLAG_LOOSE);
        const memoKey = memoOpts + ":" + range;
        const cached = cache.get(memoKey);
        if (cached) {
          return cached;
        }
        const loose = this.options.loose;
        const hr = loose ? re[t.HYPHENRANGELOOSE] : re[t.HYPHENRANGE];
        range = range.replace(hr, hyphenReplace(this.options.includePrerelease));
        debug("hyphen replace", range);
        range = range.replace(re[t.COMPARATORTRIM], comparatorTrimReplace);
        debug("comparator trim", range);
        range = range.replace(re[t.TILDETRIM], tildeTrimReplace);
        debug("tilde trim", range);
        range = range.replace(re[t.CARETTRIM], caretTrimReplace);
        debug("caret trim", range);
        let rangeList = range.split(" ").map((comp) => parseComparator(comp, this.options)).join(" ").split(/\s+/).map((comp) => replaceGTE0(comp, this.options));
        if (loose) {
          rangeList = rangeList.filter((comp) => {
            debug("loose invalid filter", comp, this.options);
            return !!comp.match(re[t.COMPARATORLOOSE]);
          });
        }
        debug("range list", rangeList);
        const rangeMap = /* @__PURE__ */ new Map();
        const comparators = rangeList.map((comp) => new Comparator(comp, this.options));
        for (const comp of comparators) {
          if (isNullSet(comp)) {
            return [comp];
          }
          rangeMap.set(comp.value, comp);
        }
        if (rangeMap.size > 1 && rangeMap.has("")) {
          rangeMap.delete("");
        }
        const result = [...rangeMap.values()];
        cache.set(memoKey, result);
        return result;
      }
      intersects(range, options) {
        if (!(range instanceof _Range)) {
          throw new TypeError("a Range is required");
        }
        return this.set.some((thisComparators) => {
          return isSatisfiable(thisComparators, options) && range.set.some((rangeComparators) => {
            return isSatisfiable(rangeComparators, options) && thisComparators.every((thisComparator) => {
              return rangeComparators.every((rangeComparator) => {
                return thisComparator.intersects(rangeComparator, options);
              });
            });
          });
        });
      }
      // if ANY of the sets match ALL of its comparators, then pass
      test(version) {
        if (!version) {
          return false;
        }
        if (typeof version === "string") {
          try {
            version = new SemVer(version, this.options);
          } catch (er) {
            return false;
          }
        }
        for (let i = 0; i < this.set.length; i++) {
          if (testSet(this.set[i], version, this.options)) {
            return true;
          }
        }
        return false;
      }
    };
    module.exports = Range;
    var LRU = require_lrucache();
    var cache = new LRU();
    var parseOptions = require_parse_options();
    var Comparator = require_comparator();
    var debug = require_debug();
    var SemVer = require_semver();
    var {
      safeRe: re,
      t,
      comparatorTrimReplace,
      tildeTrimReplace,
      caretTrimReplace
    } = require_re();
    var { FLAG_INCLUDE_PRERELEASE, FLAG_LOOSE } = require_constants();
    var isNullSet = (c) => c.value === "<0.0.0-0";
    var isAny = (c) => c.value === "";
    var isSatisfiable = (comparators, options) => {
      let result = true;
      const remainingComparators = comparators.slice();
      let testComparator = remainingComparators.pop();
      while (result && remainingComparators.length) {
        result = remainingComparators.every((otherComparator) => {
          return testComparator.intersects(otherComparator, options);
        });
        testComparator = remainingComparators.pop();
      }
      return result;
    };
    var parseComparator = (comp, options) => {
      debug("comp", comp, options);
      comp = replaceCarets(comp, options);
      debug("caret", comp);
      comp = replaceTildes(comp, options);
      debug("tildes", comp);
      comp = replaceXRanges(comp, options);
      debug("xrange", comp);
      comp = replaceStars(comp, options);
      debug("stars", comp);
      return comp;
    };
    var isX = (id) => !id || id.toLowerCase() === "x" || id === "*";
    var replaceTildes = (comp, options) => {
      return comp.trim().split(/\s+/).map((c) => replaceTilde(c, options)).join(" ");
    };
    var replaceTilde = (comp, options) => {
      const r = options.loose ? re[t.TILDELOOSE] : re[t.TILDE];
      return comp.replace(r, (_, M, m, p, pr) => {
        debug("tilde", comp, _, M, m, p, pr);
        let ret;
        if (isX(M)) {
          ret = "";
        } else if (isX(m)) {
          ret = `>=${M}.0.0 <${+M + 1}.0.0-0`;
        } else if (isX(p)) {
          ret = `>=${M}.${m}.0 <${M}.${+m + 1}.0-0`;
        } else if (pr) {
          debug("replaceTilde pr", pr);
          ret = `>=${M}.${m}.${p}-${pr} <${M}.${+m + 1}.0-0`;
        } else {
          ret = `>=${M}.${m}.${p} <${M}.${+m + 1}.0-0`;
        }
        debug("tilde return", ret);
        return ret;
      });
    };
    var replaceCarets = (comp, options) => {
      return comp.trim().split(/\s+/).map((c) => replaceCaret(c, options)).join(" ");
    };
    var replaceCaret = (comp, options) => {
      debug("caret", comp, options);
      const r = options.loose ? re[t.CARETLOOSE] : re[t.CARET];
      const z = options.includePrerelease ? "-0" : "";
      return comp.replace(r, (_, M, m, p, pr) => {
        debug("caret", comp, _, M, m, p, pr);
        let ret;
        if (isX(M)) {
          ret = "";
        } else if (isX(m)) {
          ret = `>=${M}.0.0${z} <${+M + 1}.0.0-0`;
        } else if (isX(p)) {
          if (M === "0") {
            ret = `>=${M}.${m}.0${z} <${M}.${+m + 1}.0-0`;
          } else {
            ret = `>=${M}.${m}.0${z} <${+M + 1}.0.0-0`;
          }
        } else if (pr) {
          debug("replaceCaret pr", pr);
          if (M === "0") {
            if (m === "0") {
              ret = `>=${M}.${m}.${p}-${pr} <${M}.${m}.${+p + 1}-0`;
            } else {
              ret = `>=${M}.${m}.${p}-${pr} <${M}.${+m + 1}.0-0`;
            }
          } else {
            ret = `>=${M}.${m}.${p}-${pr} <${+M + 1}.0.0-0`;
          }
        } else {
          debug("no pr");
          if (M === "0") {
            if (m === "0") {
              ret = `>=${M}.${m}.${p}${z} <${M}.${m}.${+p + 1}-0`;
            } else {
              ret = `>=${M}.${m}.${p}${z} <${M}.${+m + 1}.0-0`;
            }
          } else {
            ret = `>=${M}.${m}.${p} <${+M + 1}.0.0-0`;
          }
        }
        debug("caret return", ret);
        return ret;
      });
    };
    var replaceXRanges = (comp, options) => {
      debug("replaceXRanges", comp, options);
      return comp.split(/\s+/).map((c) => replaceXRange(c, options)).join(" ");
    };
    var replaceXRange = (comp, options) => {
      comp = comp.trim();
      const r = options.loose ? re[t.XRANGELOOSE] : re[t.XRANGE];
      return comp.replace(r, (ret, gtlt, M, m, p, pr) => {
        debug("xRange", comp, ret, gtlt, M, m, p, pr);
        const xM = isX(M);
        const xm = xM || isX(m);
        const xp = xm || isX(p);
        const anyX = xp;
        if (gtlt === "=" && anyX) {
          gtlt = "";
        }
        pr = options.includePrerelease ? "-0" : "";
        if (xM) {
          if (gtlt === ">" || gtlt === "<") {
            ret = "<0.0.0-0";
          } else {
            ret = "*";
          }
        } else if (gtlt && anyX) {
          if (xm) {
            m = 0;
          }
          p = 0;
          if (gtlt === ">") {
            gtlt = ">=";
            if (xm) {
              M = +M + 1;
              m = 0;
              p = 0;
            } else {
              m = +m + 1;
              p = 0;
            }
          } else if (gtlt === "<=") {
            gtlt = "<";
            if (xm) {
              M = +M + 1;
            } else {
              m = +m + 1;
            }
          }
          if (gtlt === "<") {
            pr = "-0";
          }
          ret = `${gtlt + M}.${m}.${p}${pr}`;
        } else if (xm) {
          ret = `>=${M}.0.0${pr} <${+M + 1}.0.0-0`;
        } else if (xp) {
          ret = `>=${M}.${m}.0${pr} <${M}.${+m + 1}.0-0`;
        }
        debug("xRange return", ret);
        return ret;
      });
    };
    var replaceStars = (comp, options) => {
      debug("replaceStars", comp, options);
      return comp.trim().replace(re[t.STAR], "");
    };
    var replaceGTE0 = (comp, options) => {
      debug("replaceGTE0", comp, options);
      return comp.trim().replace(re[options.includePrerelease ? t.GTE0PRE : t.GTE0], "");
    };
    var hyphenReplace = (incPr) => ($0, from, fM, fm, fp, fpr, fb, to, tM, tm, tp, tpr) => {
      if (isX(fM)) {
        from = "";
      } else if (isX(fm)) {
        from = `>=${fM}.0.0${incPr ? "-0" : ""}`;
      } else if (isX(fp)) {
        from = `>=${fM}.${fm}.0${incPr ? "-0" : ""}`;
      } else if (fpr) {
        from = `>=${from}`;
      } else {
        from = `>=${from}${incPr ? "-0" : ""}`;
      }
      if (isX(tM)) {
        to = "";
      } else if (isX(tm)) {
        to = `<${+tM + 1}.0.0-0`;
      } else if (isX(tp)) {
        to = `<${tM}.${+tm + 1}.0-0`;
      } else if (tpr) {
        to = `<=${tM}.${tm}.${tp}-${tpr}`;
      } else if (incPr) {
        to = `<${tM}.${tm}.${+tp + 1}-0`;
      } else {
        to = `<=${to}`;
      }
      return `${from} ${to}`.trim();
    };
    var testSet = (set, version, options) => {
      for (let i = 0; i < set.length; i++) {
        if (!set[i].test(version)) {
          return false;
        }
      }
      if (version.prerelease.length && !options.includePrerelease) {
        for (let i = 0; i < set.length; i++) {
          debug(set[i].semver);
          if (set[i].semver === Comparator.ANY) {
            continue;
          }
          if (set[i].semver.prerelease.length > 0) {
            const allowed = set[i].semver;
            if (allowed.major === version.major && allowed.minor === version.minor && allowed.patch === version.patch) {
              return true;
            }
          }
        }
        return false;
      }
      return true;
    };
  }
});

// node_modules/cdktf/node_modules/semver/classes/comparator.js
var require_comparator = __commonJS({
  "node_modules/cdktf/node_modules/semver/classes/comparator.js"(exports, module) {
    "use strict";
    var ANY = /* @__PURE__ */ Symbol("SemVer ANY");
    var Comparator = class _Comparator {
      static get ANY() {
        return ANY;
      }
      constructor(comp, options) {
        options = parseOptions(options);
        if (comp instanceof _Comparator) {
          if (comp.loose === !!options.loose) {
            return comp;
          } else {
            comp = comp.value;
          }
        }
        comp = comp.trim().split(/\s+/).join(" ");
        debug("comparator", comp, options);
        this.options = options;
        this.loose = !!options.loose;
        this.parse(comp);
        if (this.semver === ANY) {
          this.value = "";
        } else {
          this.value = this.operator + this.semver.version;
        }
        debug("comp", this);
      }
      parse(comp) {
        const r = this.options.loose ? re[t.COMPARATORLOOSE] : re[t.COMPARATOR];
        const m = comp.match(r);
        if (!m) {
          throw new TypeError(`Invalid comparator: ${comp}`);
        }
        this.operator = m[1] !== void 0 ? m[1] : "";
        if (this.operator === "=") {
          this.operator = "";
        }
        if (!m[2]) {
          this.semver = ANY;
        } else {
          this.semver = new SemVer(m[2], this.options.loose);
        }
      }
      toString() {
        return this.value;
      }
      test(version) {
        debug("Comparator.test", version, this.options.loose);
        if (this.semver === ANY || version === ANY) {
          return true;
        }
        if (typeof version === "string") {
          try {
            version = new SemVer(version, this.options);
          } catch (er) {
            return false;
          }
        }
        return cmp(version, this.operator, this.semver, this.options);
      }
      intersects(comp, options) {
        if (!(comp instanceof _Comparator)) {
          throw new TypeError("a Comparator is required");
        }
        if (this.operator === "") {
          if (this.value === "") {
            return true;
          }
          return new Range(comp.value, options).test(this.value);
        } else if (comp.operator === "") {
          if (comp.value === "") {
            return true;
          }
          return new Range(this.value, options).test(comp.semver);
        }
        options = parseOptions(options);
        if (options.includePrerelease && (this.value === "<0.0.0-0" || comp.value === "<0.0.0-0")) {
          return false;
        }
        if (!options.includePrerelease && (this.value.startsWith("<0.0.0") || comp.value.startsWith("<0.0.0"))) {
          return false;
        }
        if (this.operator.startsWith(">") && comp.operator.startsWith(">")) {
          return true;
        }
        if (this.operator.startsWith("<") && comp.operator.startsWith("<")) {
          return true;
        }
        if (this.semver.version === comp.semver.version && this.operator.includes("=") && comp.operator.includes("=")) {
          return true;
        }
        if (cmp(this.semver, "<", comp.semver, options) && this.operator.startsWith(">") && comp.operator.startsWith("<")) {
          return true;
        }
        if (cmp(this.semver, ">", comp.semver, options) && this.operator.startsWith("<") && comp.operator.startsWith(">")) {
          return true;
        }
        return false;
      }
    };
    module.exports = Comparator;
    var parseOptions = require_parse_options();
    var { safeRe: re, t } = require_re();
    var cmp = require_cmp();
    var debug = require_debug();
    var SemVer = require_semver();
    var Range = require_range2();
  }
});

// node_modules/cdktf/node_modules/semver/functions/satisfies.js
var require_satisfies = __commonJS({
  "node_modules/cdktf/node_modules/semver/functions/satisfies.js"(exports, module) {
    "use strict";
    var Range = require_range2();
    var satisfies = (version, range, options) => {
      try {
        range = new Range(range, options);
      } catch (er) {
        return false;
      }
      return range.test(version);
    };
    module.exports = satisfies;
  }
});

// node_modules/cdktf/node_modules/semver/ranges/to-comparators.js
var require_to_comparators = __commonJS({
  "node_modules/cdktf/node_modules/semver/ranges/to-comparators.js"(exports, module) {
    "use strict";
    var Range = require_range2();
    var toComparators = (range, options) => new Range(range, options).set.map((comp) => comp.map((c) => c.value).join(" ").trim().split(" "));
    module.exports = toComparators;
  }
});

// node_modules/cdktf/node_modules/semver/ranges/max-satisfying.js
var require_max_satisfying = __commonJS({
  "node_modules/cdktf/node_modules/semver/ranges/max-satisfying.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var Range = require_range2();
    var maxSatisfying = (versions, range, options) => {
      let max = null;
      let maxSV = null;
      let rangeObj = null;
      try {
        rangeObj = new Range(range, options);
      } catch (er) {
        return null;
      }
      versions.forEach((v) => {
        if (rangeObj.test(v)) {
          if (!max || maxSV.compare(v) === -1) {
            max = v;
            maxSV = new SemVer(max, options);
          }
        }
      });
      return max;
    };
    module.exports = maxSatisfying;
  }
});

// node_modules/cdktf/node_modules/semver/ranges/min-satisfying.js
var require_min_satisfying = __commonJS({
  "node_modules/cdktf/node_modules/semver/ranges/min-satisfying.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var Range = require_range2();
    var minSatisfying = (versions, range, options) => {
      let min = null;
      let minSV = null;
      let rangeObj = null;
      try {
        rangeObj = new Range(range, options);
      } catch (er) {
        return null;
      }
      versions.forEach((v) => {
        if (rangeObj.test(v)) {
          if (!min || minSV.compare(v) === 1) {
            min = v;
            minSV = new SemVer(min, options);
          }
        }
      });
      return min;
    };
    module.exports = minSatisfying;
  }
});

// node_modules/cdktf/node_modules/semver/ranges/min-version.js
var require_min_version = __commonJS({
  "node_modules/cdktf/node_modules/semver/ranges/min-version.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var Range = require_range2();
    var gt = require_gt();
    var minVersion = (range, loose) => {
      range = new Range(range, loose);
      let minver = new SemVer("0.0.0");
      if (range.test(minver)) {
        return minver;
      }
      minver = new SemVer("0.0.0-0");
      if (range.test(minver)) {
        return minver;
      }
      minver = null;
      for (let i = 0; i < range.set.length; ++i) {
        const comparators = range.set[i];
        let setMin = null;
        comparators.forEach((comparator) => {
          const compver = new SemVer(comparator.semver.version);
          switch (comparator.operator) {
            case ">":
              if (compver.prerelease.length === 0) {
                compver.patch++;
              } else {
                compver.prerelease.push(0);
              }
              compver.raw = compver.format();
            /* fallthrough */
            case "":
            case ">=":
              if (!setMin || gt(compver, setMin)) {
                setMin = compver;
              }
              break;
            case "<":
            case "<=":
              break;
            /* istanbul ignore next */
            default:
              throw new Error(`Unexpected operation: ${comparator.operator}`);
          }
        });
        if (setMin && (!minver || gt(minver, setMin))) {
          minver = setMin;
        }
      }
      if (minver && range.test(minver)) {
        return minver;
      }
      return null;
    };
    module.exports = minVersion;
  }
});

// node_modules/cdktf/node_modules/semver/ranges/valid.js
var require_valid2 = __commonJS({
  "node_modules/cdktf/node_modules/semver/ranges/valid.js"(exports, module) {
    "use strict";
    var Range = require_range2();
    var validRange = (range, options) => {
      try {
        return new Range(range, options).range || "*";
      } catch (er) {
        return null;
      }
    };
    module.exports = validRange;
  }
});

// node_modules/cdktf/node_modules/semver/ranges/outside.js
var require_outside = __commonJS({
  "node_modules/cdktf/node_modules/semver/ranges/outside.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var Comparator = require_comparator();
    var { ANY } = Comparator;
    var Range = require_range2();
    var satisfies = require_satisfies();
    var gt = require_gt();
    var lt = require_lt();
    var lte = require_lte();
    var gte = require_gte();
    var outside = (version, range, hilo, options) => {
      version = new SemVer(version, options);
      range = new Range(range, options);
      let gtfn, ltefn, ltfn, comp, ecomp;
      switch (hilo) {
        case ">":
          gtfn = gt;
          ltefn = lte;
          ltfn = lt;
          comp = ">";
          ecomp = ">=";
          break;
        case "<":
          gtfn = lt;
          ltefn = gte;
          ltfn = gt;
          comp = "<";
          ecomp = "<=";
          break;
        default:
          throw new TypeError('Must provide a hilo val of "<" or ">"');
      }
      if (satisfies(version, range, options)) {
        return false;
      }
      for (let i = 0; i < range.set.length; ++i) {
        const comparators = range.set[i];
        let high = null;
        let low = null;
        comparators.forEach((comparator) => {
          if (comparator.semver === ANY) {
            comparator = new Comparator(">=0.0.0");
          }
          high = high || comparator;
          low = low || comparator;
          if (gtfn(comparator.semver, high.semver, options)) {
            high = comparator;
          } else if (ltfn(comparator.semver, low.semver, options)) {
            low = comparator;
          }
        });
        if (high.operator === comp || high.operator === ecomp) {
          return false;
        }
        if ((!low.operator || low.operator === comp) && ltefn(version, low.semver)) {
          return false;
        } else if (low.operator === ecomp && ltfn(version, low.semver)) {
          return false;
        }
      }
      return true;
    };
    module.exports = outside;
  }
});

// node_modules/cdktf/node_modules/semver/ranges/gtr.js
var require_gtr = __commonJS({
  "node_modules/cdktf/node_modules/semver/ranges/gtr.js"(exports, module) {
    "use strict";
    var outside = require_outside();
    var gtr = (version, range, options) => outside(version, range, ">", options);
    module.exports = gtr;
  }
});

// node_modules/cdktf/node_modules/semver/ranges/ltr.js
var require_ltr = __commonJS({
  "node_modules/cdktf/node_modules/semver/ranges/ltr.js"(exports, module) {
    "use strict";
    var outside = require_outside();
    var ltr = (version, range, options) => outside(version, range, "<", options);
    module.exports = ltr;
  }
});

// node_modules/cdktf/node_modules/semver/ranges/intersects.js
var require_intersects = __commonJS({
  "node_modules/cdktf/node_modules/semver/ranges/intersects.js"(exports, module) {
    "use strict";
    var Range = require_range2();
    var intersects = (r1, r2, options) => {
      r1 = new Range(r1, options);
      r2 = new Range(r2, options);
      return r1.intersects(r2, options);
    };
    module.exports = intersects;
  }
});

// node_modules/cdktf/node_modules/semver/ranges/simplify.js
var require_simplify = __commonJS({
  "node_modules/cdktf/node_modules/semver/ranges/simplify.js"(exports, module) {
    "use strict";
    var satisfies = require_satisfies();
    var compare = require_compare();
    module.exports = (versions, range, options) => {
      const set = [];
      let first = null;
      let prev = null;
      const v = versions.sort((a, b) => compare(a, b, options));
      for (const version of v) {
        const included = satisfies(version, range, options);
        if (included) {
          prev = version;
          if (!first) {
            first = version;
          }
        } else {
          if (prev) {
            set.push([first, prev]);
          }
          prev = null;
          first = null;
        }
      }
      if (first) {
        set.push([first, null]);
      }
      const ranges = [];
      for (const [min, max] of set) {
        if (min === max) {
          ranges.push(min);
        } else if (!max && min === v[0]) {
          ranges.push("*");
        } else if (!max) {
          ranges.push(`>=${min}`);
        } else if (min === v[0]) {
          ranges.push(`<=${max}`);
        } else {
          ranges.push(`${min} - ${max}`);
        }
      }
      const simplified = ranges.join(" || ");
      const original = typeof range.raw === "string" ? range.raw : String(range);
      return simplified.length < original.length ? simplified : range;
    };
  }
});

// node_modules/cdktf/node_modules/semver/ranges/subset.js
var require_subset = __commonJS({
  "node_modules/cdktf/node_modules/semver/ranges/subset.js"(exports, module) {
    "use strict";
    var Range = require_range2();
    var Comparator = require_comparator();
    var { ANY } = Comparator;
    var satisfies = require_satisfies();
    var compare = require_compare();
    var subset = (sub, dom, options = {}) => {
      if (sub === dom) {
        return true;
      }
      sub = new Range(sub, options);
      dom = new Range(dom, options);
      let sawNonNull = false;
      OUTER: for (const simpleSub of sub.set) {
        for (const simpleDom of dom.set) {
          const isSub = simpleSubset(simpleSub, simpleDom, options);
          sawNonNull = sawNonNull || isSub !== null;
          if (isSub) {
            continue OUTER;
          }
        }
        if (sawNonNull) {
          return false;
        }
      }
      return true;
    };
    var minimumVersionWithPreRelease = [new Comparator(">=0.0.0-0")];
    var minimumVersion = [new Comparator(">=0.0.0")];
    var simpleSubset = (sub, dom, options) => {
      if (sub === dom) {
        return true;
      }
      if (sub.length === 1 && sub[0].semver === ANY) {
        if (dom.length === 1 && dom[0].semver === ANY) {
          return true;
        } else if (options.includePrerelease) {
          sub = minimumVersionWithPreRelease;
        } else {
          sub = minimumVersion;
        }
      }
      if (dom.length === 1 && dom[0].semver === ANY) {
        if (options.includePrerelease) {
          return true;
        } else {
          dom = minimumVersion;
        }
      }
      const eqSet = /* @__PURE__ */ new Set();
      let gt, lt;
      for (const c of sub) {
        if (c.operator === ">" || c.operator === ">=") {
          gt = higherGT(gt, c, options);
        } else if (c.operator === "<" || c.operator === "<=") {
          lt = lowerLT(lt, c, options);
        } else {
          eqSet.add(c.semver);
        }
      }
      if (eqSet.size > 1) {
        return null;
      }
      let gtltComp;
      if (gt && lt) {
        gtltComp = compare(gt.semver, lt.semver, options);
        if (gtltComp > 0) {
          return null;
        } else if (gtltComp === 0 && (gt.operator !== ">=" || lt.operator !== "<=")) {
          return null;
        }
      }
      for (const eq of eqSet) {
        if (gt && !satisfies(eq, String(gt), options)) {
          return null;
        }
        if (lt && !satisfies(eq, String(lt), options)) {
          return null;
        }
        for (const c of dom) {
          if (!satisfies(eq, String(c), options)) {
            return false;
          }
        }
        return true;
      }
      let higher, lower;
      let hasDomLT, hasDomGT;
      let needDomLTPre = lt && !options.includePrerelease && lt.semver.prerelease.length ? lt.semver : false;
      let needDomGTPre = gt && !options.includePrerelease && gt.semver.prerelease.length ? gt.semver : false;
      if (needDomLTPre && needDomLTPre.prerelease.length === 1 && lt.operator === "<" && needDomLTPre.prerelease[0] === 0) {
        needDomLTPre = false;
      }
      for (const c of dom) {
        hasDomGT = hasDomGT || c.operator === ">" || c.operator === ">=";
        hasDomLT = hasDomLT || c.operator === "<" || c.operator === "<=";
        if (gt) {
          if (needDomGTPre) {
            if (c.semver.prerelease && c.semver.prerelease.length && c.semver.major === needDomGTPre.major && c.semver.minor === needDomGTPre.minor && c.semver.patch === needDomGTPre.patch) {
              needDomGTPre = false;
            }
          }
          if (c.operator === ">" || c.operator === ">=") {
            higher = higherGT(gt, c, options);
            if (higher === c && higher !== gt) {
              return false;
            }
          } else if (gt.operator === ">=" && !satisfies(gt.semver, String(c), options)) {
            return false;
          }
        }
        if (lt) {
          if (needDomLTPre) {
            if (c.semver.prerelease && c.semver.prerelease.length && c.semver.major === needDomLTPre.major && c.semver.minor === needDomLTPre.minor && c.semver.patch === needDomLTPre.patch) {
              needDomLTPre = false;
            }
          }
          if (c.operator === "<" || c.operator === "<=") {
            lower = lowerLT(lt, c, options);
            if (lower === c && lower !== lt) {
              return false;
            }
          } else if (lt.operator === "<=" && !satisfies(lt.semver, String(c), options)) {
            return false;
          }
        }
        if (!c.operator && (lt || gt) && gtltComp !== 0) {
          return false;
        }
      }
      if (gt && hasDomLT && !lt && gtltComp !== 0) {
        return false;
      }
      if (lt && hasDomGT && !gt && gtltComp !== 0) {
        return false;
      }
      if (needDomGTPre || needDomLTPre) {
        return false;
      }
      return true;
    };
    var higherGT = (a, b, options) => {
      if (!a) {
        return b;
      }
      const comp = compare(a.semver, b.semver, options);
      return comp > 0 ? a : comp < 0 ? b : b.operator === ">" && a.operator === ">=" ? b : a;
    };
    var lowerLT = (a, b, options) => {
      if (!a) {
        return b;
      }
      const comp = compare(a.semver, b.semver, options);
      return comp < 0 ? a : comp > 0 ? b : b.operator === "<" && a.operator === "<=" ? b : a;
    };
    module.exports = subset;
  }
});

// node_modules/cdktf/node_modules/semver/index.js
var require_semver2 = __commonJS({
  "node_modules/cdktf/node_modules/semver/index.js"(exports, module) {
    "use strict";
    var internalRe = require_re();
    var constants = require_constants();
    var SemVer = require_semver();
    var identifiers = require_identifiers();
    var parse = require_parse2();
    var valid = require_valid();
    var clean = require_clean();
    var inc = require_inc();
    var diff = require_diff();
    var major = require_major();
    var minor = require_minor();
    var patch = require_patch();
    var prerelease = require_prerelease();
    var compare = require_compare();
    var rcompare = require_rcompare();
    var compareLoose = require_compare_loose();
    var compareBuild = require_compare_build();
    var sort = require_sort();
    var rsort = require_rsort();
    var gt = require_gt();
    var lt = require_lt();
    var eq = require_eq();
    var neq = require_neq();
    var gte = require_gte();
    var lte = require_lte();
    var cmp = require_cmp();
    var coerce = require_coerce();
    var Comparator = require_comparator();
    var Range = require_range2();
    var satisfies = require_satisfies();
    var toComparators = require_to_comparators();
    var maxSatisfying = require_max_satisfying();
    var minSatisfying = require_min_satisfying();
    var minVersion = require_min_version();
    var validRange = require_valid2();
    var outside = require_outside();
    var gtr = require_gtr();
    var ltr = require_ltr();
    var intersects = require_intersects();
    var simplifyRange = require_simplify();
    var subset = require_subset();
    module.exports = {
      parse,
      valid,
      clean,
      inc,
      diff,
      major,
      minor,
      patch,
      prerelease,
      compare,
      rcompare,
      compareLoose,
      compareBuild,
      sort,
      rsort,
      gt,
      lt,
      eq,
      neq,
      gte,
      lte,
      cmp,
      coerce,
      Comparator,
      Range,
      satisfies,
      toComparators,
      maxSatisfying,
      minSatisfying,
      minVersion,
      validRange,
      outside,
      gtr,
      ltr,
      intersects,
      simplifyRange,
      subset,
      SemVer,
      re: internalRe.re,
      src: internalRe.src,
      tokens: internalRe.t,
      SEMVER_SPEC_VERSION: constants.SEMVER_SPEC_VERSION,
      RELEASE_TYPES: constants.RELEASE_TYPES,
      compareIdentifiers: identifiers.compareIdentifiers,
      rcompareIdentifiers: identifiers.rcompareIdentifiers
    };
  }
});

// node_modules/cdktf/lib/validations/validate-binary-version.js
var require_validate_binary_version = __commonJS({
  "node_modules/cdktf/lib/validations/validate-binary-version.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ValidateBinaryVersion = void 0;
    var child_process_1 = __require("child_process");
    var semver = require_semver2();
    var ValidateBinaryVersion = class {
      constructor(binary, versionConstraint, versionCommand, hint) {
        this.binary = binary;
        this.versionConstraint = versionConstraint;
        this.versionCommand = versionCommand;
        this.hint = hint;
      }
      validate() {
        try {
          const versionOfCommand = (0, child_process_1.execSync)(this.versionCommand, {
            stdio: "pipe"
          }).toString();
          const semverRegex = /\d+\.\d+\.\d+/;
          const version = versionOfCommand.match(semverRegex);
          if (!version) {
            return [
              `Could not determine version of ${this.binary} (running ${this.versionCommand})`
            ];
          }
          if (!semver.satisfies(version[0], this.versionConstraint)) {
            return [
              `${this.binary} version ${version[0]} is lower than the required version ${this.versionConstraint} for this construct. ${this.hint || ""}`
            ];
          }
          return [];
        } catch (e) {
          return [
            `Could not determine version of ${this.binary}, ${this.versionCommand} failed: ${e}`
          ];
        }
      }
    };
    exports.ValidateBinaryVersion = ValidateBinaryVersion;
  }
});

// node_modules/cdktf/lib/validations/validate-terraform-version.js
var require_validate_terraform_version = __commonJS({
  "node_modules/cdktf/lib/validations/validate-terraform-version.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ValidateTerraformVersion = void 0;
    var util_1 = require_util();
    var validate_binary_version_1 = require_validate_binary_version();
    var ValidateTerraformVersion = class extends validate_binary_version_1.ValidateBinaryVersion {
      constructor(versionConstraint, hint) {
        super(util_1.terraformBinaryName, versionConstraint, `${util_1.terraformBinaryName} version`, hint);
        this.versionConstraint = versionConstraint;
        this.hint = hint;
      }
    };
    exports.ValidateTerraformVersion = ValidateTerraformVersion;
  }
});

// node_modules/cdktf/lib/synthesize/synthesizer.js
var require_synthesizer = __commonJS({
  "node_modules/cdktf/lib/synthesize/synthesizer.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.StackSynthesizer = void 0;
    exports.invokeAspects = invokeAspects;
    exports.addCustomSynthesis = addCustomSynthesis;
    var path = __require("path");
    var fs = __require("fs");
    var stringify = require_json_stable_stringify();
    var annotations_1 = require_annotations();
    var constructs_1 = require_lib();
    var aspect_1 = require_aspect();
    var validate_terraform_version_1 = require_validate_terraform_version();
    var errors_1 = require_errors();
    var StackSynthesizer = class {
      /**
       * @param stack the stack to synthesize
       * @param continueOnErrorAnnotations if set to true, `synthesize()` will not throw an error
       * if it encounters an error Annotation. However, it will still add all errors to the manifest
       * file. The cdktf-cli uses this flag to print the errors itself.
       */
      constructor(stack, continueOnErrorAnnotations = false, hclOutput = false) {
        this.stack = stack;
        this.continueOnErrorAnnotations = continueOnErrorAnnotations;
        this.hclOutput = hclOutput;
      }
      synthesize(session) {
        invokeAspects(this.stack);
        if (this.stack.hasResourceMove()) {
          this.stack.node.addValidation(new validate_terraform_version_1.ValidateTerraformVersion(">=1.5", `Resource move functionality is only supported for Terraform >=1.5. Please upgrade your Terraform version.`));
        }
        if (!session.skipValidation) {
          this.stack.runAllValidations();
        }
        const manifest = session.manifest;
        const stackManifest = manifest.forStack(this.stack);
        const workingDirectory = path.join(session.outdir, stackManifest.workingDirectory);
        if (!fs.existsSync(workingDirectory))
          fs.mkdirSync(workingDirectory);
        this.stack.node.findAll(constructs_1.ConstructOrder.POSTORDER).forEach((node) => getCustomSynthesis(node)?.onSynthesize(session));
        const annotations = this.stack.node.findAll().map((node) => ({
          node,
          metadatas: node.node.metadata.filter(isAnnotationMetadata)
        })).map(({ node, metadatas }) => metadatas.map((metadata) => ({
          constructPath: node.node.path,
          level: metadata.type,
          message: metadata.data,
          stacktrace: metadata.trace
        }))).reduce((list, metadatas) => [...list, ...metadatas], []);
        stackManifest.annotations = annotations;
        if (!this.continueOnErrorAnnotations && annotations.some(isErrorAnnotation)) {
          throw (0, errors_1.encounteredAnnotationWithLevelError)(annotations.filter(isErrorAnnotation).map((a) => `[${a.constructPath}] ${a.message}`).join("\n"));
        }
        if (this.hclOutput) {
          const hcl = this.stack.toHclTerraform();
          fs.writeFileSync(path.join(session.outdir, stackManifest.synthesizedStackPath), hcl.hcl);
          fs.writeFileSync(path.join(session.outdir, stackManifest.stackMetadataPath), stringify(hcl.metadata, { space: 2 }));
          return;
        }
        const jsonTfConfig = this.stack.toTerraform();
        fs.writeFileSync(path.join(session.outdir, stackManifest.synthesizedStackPath), stringify(jsonTfConfig, { space: 2 }));
      }
    };
    exports.StackSynthesizer = StackSynthesizer;
    function invokeAspects(root) {
      const invokedByPath = {};
      let nestedAspectWarning = false;
      recurse(root, []);
      function recurse(construct, inheritedAspects) {
        const node = construct.node;
        const aspects = aspect_1.Aspects.of(construct);
        const allAspectsHere = [...inheritedAspects ?? [], ...aspects.all];
        const nodeAspectsCount = aspects.all.length;
        for (const aspect of allAspectsHere) {
          let invoked = invokedByPath[node.path];
          if (!invoked) {
            invoked = invokedByPath[node.path] = [];
          }
          if (invoked.includes(aspect)) {
            continue;
          }
          aspect.visit(construct);
          if (!nestedAspectWarning && nodeAspectsCount !== aspects.all.length) {
            annotations_1.Annotations.of(construct).addWarning("We detected an Aspect was added via another Aspect, and will not be applied");
            nestedAspectWarning = true;
          }
          invoked.push(aspect);
        }
        for (const child of construct.node.children) {
          recurse(child, allAspectsHere);
        }
      }
    }
    var annotationMetadataEntryTypes = [
      annotations_1.AnnotationMetadataEntryType.INFO,
      annotations_1.AnnotationMetadataEntryType.WARN,
      annotations_1.AnnotationMetadataEntryType.ERROR
    ];
    function isAnnotationMetadata(metadata) {
      return annotationMetadataEntryTypes.includes(metadata.type);
    }
    function isErrorAnnotation(annotation) {
      return annotation.level === annotations_1.AnnotationMetadataEntryType.ERROR;
    }
    var CUSTOM_SYNTHESIS_SYM = /* @__PURE__ */ Symbol.for("cdktf/customSynthesis");
    function addCustomSynthesis(construct, synthesis) {
      Object.defineProperty(construct, CUSTOM_SYNTHESIS_SYM, {
        value: synthesis,
        enumerable: false
      });
    }
    function getCustomSynthesis(construct) {
      return construct[CUSTOM_SYNTHESIS_SYM];
    }
  }
});

// node_modules/cdktf/lib/terraform-count.js
var require_terraform_count = __commonJS({
  "node_modules/cdktf/lib/terraform-count.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformCount = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var tfExpression_1 = require_tfExpression();
    var tokens_1 = require_tokens();
    var COUNT_SYMBOL = /* @__PURE__ */ Symbol.for("cdktf/TerraformCount");
    var TerraformCount = class _TerraformCount {
      static of(count) {
        return new _TerraformCount(count);
      }
      static isTerraformCount(x) {
        return x !== null && typeof x === "object" && COUNT_SYMBOL in x;
      }
      constructor(count) {
        this.count = count;
        Object.defineProperty(this, COUNT_SYMBOL, { value: true });
      }
      get index() {
        return tokens_1.Token.asNumber((0, tfExpression_1.ref)("count.index"));
      }
      toTerraform() {
        return this.count;
      }
      toString() {
        return this.count.toString();
      }
    };
    exports.TerraformCount = TerraformCount;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformCount[_a] = { fqn: "cdktf.TerraformCount", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-resource.js
var require_terraform_resource = __commonJS({
  "node_modules/cdktf/lib/terraform-resource.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformResource = void 0;
    exports.lifecycleToTerraform = lifecycleToTerraform;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var tokens_1 = require_tokens();
    var terraform_element_1 = require_terraform_element();
    var util_1 = require_util();
    var tfExpression_1 = require_tfExpression();
    var terraform_count_1 = require_terraform_count();
    var assert = __require("assert");
    var validate_terraform_version_1 = require_validate_terraform_version();
    var terraform_stack_1 = require_terraform_stack();
    var errors_1 = require_errors();
    var TERRAFORM_RESOURCE_SYMBOL = /* @__PURE__ */ Symbol.for("cdktf/TerraformResource");
    function lifecycleToTerraform(lifecycle) {
      if (!lifecycle) {
        return void 0;
      }
      return {
        ...lifecycle,
        ...lifecycle?.replaceTriggeredBy?.length ? {
          replaceTriggeredBy: lifecycle?.replaceTriggeredBy?.map((x) => {
            if (typeof x === "string") {
              return x;
            } else {
              return x.fqn;
            }
          })
        } : void 0
      };
    }
    var TerraformResource = class extends terraform_element_1.TerraformElement {
      constructor(scope, id, config) {
        super(scope, id, config.terraformResourceType);
        this._hasMoved = false;
        Object.defineProperty(this, TERRAFORM_RESOURCE_SYMBOL, { value: true });
        this.terraformResourceType = config.terraformResourceType;
        this.terraformGeneratorMetadata = config.terraformGeneratorMetadata;
        if (Array.isArray(config.dependsOn)) {
          this.dependsOn = config.dependsOn.map((dependency) => (0, tfExpression_1.dependable)(dependency));
        }
        this.count = config.count;
        this.provider = config.provider;
        this.lifecycle = config.lifecycle;
        this.forEach = config.forEach;
        this.provisioners = config.provisioners;
        this.connection = config.connection;
      }
      static isTerraformResource(x) {
        return x !== null && typeof x === "object" && TERRAFORM_RESOURCE_SYMBOL in x;
      }
      hasResourceMove() {
        return this._movedById || this._movedByTarget;
      }
      getStringAttribute(terraformAttribute) {
        return tokens_1.Token.asString(this.interpolationForAttribute(terraformAttribute));
      }
      getNumberAttribute(terraformAttribute) {
        return tokens_1.Token.asNumber(this.interpolationForAttribute(terraformAttribute));
      }
      getListAttribute(terraformAttribute) {
        return tokens_1.Token.asList(this.interpolationForAttribute(terraformAttribute));
      }
      getBooleanAttribute(terraformAttribute) {
        return this.interpolationForAttribute(terraformAttribute);
      }
      getNumberListAttribute(terraformAttribute) {
        return tokens_1.Token.asNumberList(this.interpolationForAttribute(terraformAttribute));
      }
      getStringMapAttribute(terraformAttribute) {
        return tokens_1.Token.asStringMap(this.interpolationForAttribute(terraformAttribute));
      }
      getNumberMapAttribute(terraformAttribute) {
        return tokens_1.Token.asNumberMap(this.interpolationForAttribute(terraformAttribute));
      }
      getBooleanMapAttribute(terraformAttribute) {
        return tokens_1.Token.asBooleanMap(this.interpolationForAttribute(terraformAttribute));
      }
      getAnyMapAttribute(terraformAttribute) {
        return tokens_1.Token.asAnyMap(this.interpolationForAttribute(terraformAttribute));
      }
      get terraformMetaArguments() {
        assert(!this.forEach || typeof this.count === "undefined", `forEach and count are both set, but they are mutually exclusive. You can only use either of them. Check the resource at path: ${this.node.path}`);
        return {
          dependsOn: this.dependsOn,
          count: terraform_count_1.TerraformCount.isTerraformCount(this.count) ? this.count.toTerraform() : this.count,
          provider: this.provider?.fqn,
          lifecycle: lifecycleToTerraform(this.lifecycle),
          forEach: this.forEach?._getForEachExpression(),
          connection: this.connection
        };
      }
      // jsii can't handle abstract classes?
      synthesizeAttributes() {
        return {};
      }
      synthesizeHclAttributes() {
        return {};
      }
      /**
       * Adds this resource to the terraform JSON output.
       */
      toTerraform() {
        const attributes = (0, util_1.deepMerge)((0, util_1.processDynamicAttributes)(this.synthesizeAttributes()), (0, util_1.keysToSnakeCase)(this.terraformMetaArguments), {
          provisioner: this.provisioners?.map(({ type, ...props }) => ({
            [type]: (0, util_1.keysToSnakeCase)(props)
          }))
        }, this.rawOverrides);
        attributes["//"] = {
          ...attributes["//"] ?? {},
          ...this.constructNodeMetadata
        };
        const movedBlock = this._buildMovedBlock();
        return {
          resource: this._hasMoved ? void 0 : {
            [this.terraformResourceType]: {
              [this.friendlyUniqueId]: attributes
            }
          },
          moved: movedBlock ? [
            {
              to: movedBlock.to,
              from: movedBlock.from
            }
          ] : void 0,
          import: this._imported ? [
            {
              provider: this._imported.provider?.fqn,
              id: this._imported.id,
              to: `${this.terraformResourceType}.${this.friendlyUniqueId}`
            }
          ] : void 0
        };
      }
      toHclTerraform() {
        const attributes = (0, util_1.deepMerge)((0, util_1.processDynamicAttributesForHcl)(this.synthesizeHclAttributes()), (0, util_1.keysToSnakeCase)(this.terraformMetaArguments), {
          provisioner: this.provisioners?.map(({ type, ...props }) => ({
            [type]: {
              isBlock: true,
              type: "list",
              storageClassType: "object",
              value: (0, util_1.keysToSnakeCase)(props)
            }
          }))
        }, this.rawOverrides);
        attributes["//"] = {
          ...attributes["//"] ?? {},
          ...this.constructNodeMetadata
        };
        const movedBlock = this._buildMovedBlock();
        return {
          resource: this._hasMoved ? void 0 : {
            [this.terraformResourceType]: {
              [this.friendlyUniqueId]: attributes
            }
          },
          moved: movedBlock ? [
            {
              to: {
                value: movedBlock.to,
                isBlock: false,
                type: "simple",
                storageClassType: "reference"
              },
              from: {
                value: movedBlock.from,
                isBlock: false,
                type: "simple",
                storageClassType: "reference"
              }
            }
          ] : void 0,
          import: this._imported ? [
            {
              to: {
                value: `${this.terraformResourceType}.${this.friendlyUniqueId}`,
                type: "simple",
                storageClassType: "reference"
              },
              id: {
                value: this._imported.id,
                type: "simple",
                storageClassType: "string"
              },
              provider: this._imported.provider ? {
                value: this._imported.provider.fqn,
                type: "simple",
                storageClassType: "reference"
              } : void 0
            }
          ] : void 0
        };
      }
      toMetadata() {
        return {
          overrides: Object.keys(this.rawOverrides).length ? {
            [this.terraformResourceType]: Object.keys(this.rawOverrides)
          } : void 0,
          imports: this._imported ? {
            [this.terraformResourceType]: [this.friendlyUniqueId]
          } : void 0,
          moved: this._movedByTarget || this._movedById ? {
            [this.terraformResourceType]: [this.friendlyUniqueId]
          } : void 0
        };
      }
      interpolationForAttribute(terraformAttribute) {
        return (0, tfExpression_1.ref)(`${this.terraformResourceType}.${this.friendlyUniqueId}${this.forEach ? ".*" : ""}.${terraformAttribute}`, this.cdktfStack);
      }
      importFrom(id, provider) {
        this._imported = { id, provider };
        this.node.addValidation(new validate_terraform_version_1.ValidateTerraformVersion(">=1.5", `Import blocks are only supported for Terraform >=1.5. Please upgrade your Terraform version.`));
      }
      _getResourceTarget(moveTarget) {
        return terraform_stack_1.TerraformStack.of(this).moveTargets.getResourceByTarget(moveTarget);
      }
      _addResourceTarget(moveTarget) {
        return terraform_stack_1.TerraformStack.of(this).moveTargets.addResourceTarget(this, moveTarget);
      }
      _buildMovedBlockByTarget(movedTarget) {
        const { moveTarget, index } = movedTarget;
        const resourceToMoveTo = this._getResourceTarget(moveTarget);
        if (this.terraformResourceType !== resourceToMoveTo.terraformResourceType) {
          throw (0, errors_1.movedToResourceOfDifferentType)(moveTarget, this.terraformResourceType, resourceToMoveTo.terraformResourceType);
        }
        const to = index ? typeof index === "string" ? `${this.terraformResourceType}.${resourceToMoveTo.friendlyUniqueId}["${index}"]` : `${this.terraformResourceType}.${resourceToMoveTo.friendlyUniqueId}[${index}]` : `${this.terraformResourceType}.${resourceToMoveTo.friendlyUniqueId}`;
        const from = `${this.terraformResourceType}.${this.friendlyUniqueId}`;
        return { to, from };
      }
      _buildMovedBlock() {
        if (this._movedByTarget && this._movedById) {
          throw (0, errors_1.resourceGivenTwoMoveOperationsByTargetAndId)(this.node.id, this._movedByTarget.moveTarget, { to: this._movedById.to, from: this._movedById.from });
        } else if (this._movedByTarget) {
          const movedBlockByTarget = this._buildMovedBlockByTarget(this._movedByTarget);
          return { to: movedBlockByTarget.to, from: movedBlockByTarget.from };
        } else if (this._movedById) {
          return { to: this._movedById.to, from: this._movedById.from };
        } else {
          return void 0;
        }
      }
      /**
       * Moves this resource to the target resource given by moveTarget.
       * @param moveTarget The previously set user defined string set by .addMoveTarget() corresponding to the resource to move to.
       * @param index Optional The index corresponding to the key the resource is to appear in the foreach of a resource to move to
       */
      moveTo(moveTarget, index) {
        if (this._movedByTarget) {
          throw (0, errors_1.resourceGivenTwoMoveOperationsByTarget)(this.friendlyUniqueId, this._movedByTarget.moveTarget, moveTarget);
        }
        this._movedByTarget = { moveTarget, index };
        this._hasMoved = true;
      }
      /**
       * Adds a user defined moveTarget string to this resource to be later used in .moveTo(moveTarget) to resolve the location of the move.
       * @param moveTarget The string move target that will correspond to this resource
       */
      addMoveTarget(moveTarget) {
        this._addResourceTarget(moveTarget);
      }
      /**
       * Moves this resource to the resource corresponding to "id"
       * @param id Full id of resource to move to, e.g. "aws_s3_bucket.example"
       */
      moveToId(id) {
        if (this._movedById) {
          throw (0, errors_1.resourceGivenTwoMoveOperationsById)(this.node.id, { to: this._movedById.from, from: this._movedById.to }, {
            to: id,
            from: `${this.terraformResourceType}.${this.friendlyUniqueId}`
          });
        }
        this._movedById = {
          to: id,
          from: `${this.terraformResourceType}.${this.friendlyUniqueId}`
        };
        this._hasMoved = true;
      }
      /**
       * Move the resource corresponding to "id" to this resource. Note that the resource being moved from must be marked as moved using it's instance function.
       * @param id Full id of resource being moved from, e.g. "aws_s3_bucket.example"
       */
      moveFromId(id) {
        if (this._movedById) {
          throw (0, errors_1.resourceGivenTwoMoveOperationsById)(this.node.id, { to: this._movedById.from, from: this._movedById.to }, {
            to: id,
            from: `${this.terraformResourceType}.${this.friendlyUniqueId}`
          });
        }
        this._movedById = {
          to: `${this.terraformResourceType}.${this.friendlyUniqueId}`,
          from: id
        };
      }
    };
    exports.TerraformResource = TerraformResource;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformResource[_a] = { fqn: "cdktf.TerraformResource", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-data-source.js
var require_terraform_data_source = __commonJS({
  "node_modules/cdktf/lib/terraform-data-source.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformDataSource = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var tokens_1 = require_tokens();
    var terraform_element_1 = require_terraform_element();
    var terraform_resource_1 = require_terraform_resource();
    var util_1 = require_util();
    var tfExpression_1 = require_tfExpression();
    var terraform_count_1 = require_terraform_count();
    var assert = __require("assert");
    var TERRAFORM_DATA_SOURCE_SYMBOL = /* @__PURE__ */ Symbol.for("cdktf/TerraformDataSource");
    var TerraformDataSource = class extends terraform_element_1.TerraformElement {
      constructor(scope, id, config) {
        super(scope, id, `data.${config.terraformResourceType}`);
        Object.defineProperty(this, TERRAFORM_DATA_SOURCE_SYMBOL, { value: true });
        this.terraformResourceType = config.terraformResourceType;
        this.terraformGeneratorMetadata = config.terraformGeneratorMetadata;
        if (Array.isArray(config.dependsOn)) {
          this.dependsOn = config.dependsOn.map((dependency) => (0, tfExpression_1.dependable)(dependency));
        }
        this.count = config.count;
        this.provider = config.provider;
        this.lifecycle = config.lifecycle;
        this.forEach = config.forEach;
      }
      static isTerraformDataSource(x) {
        return x !== null && typeof x === "object" && TERRAFORM_DATA_SOURCE_SYMBOL in x;
      }
      getStringAttribute(terraformAttribute) {
        return tokens_1.Token.asString(this.interpolationForAttribute(terraformAttribute));
      }
      getNumberAttribute(terraformAttribute) {
        return tokens_1.Token.asNumber(this.interpolationForAttribute(terraformAttribute));
      }
      getListAttribute(terraformAttribute) {
        return tokens_1.Token.asList(this.interpolationForAttribute(terraformAttribute));
      }
      getBooleanAttribute(terraformAttribute) {
        return this.interpolationForAttribute(terraformAttribute);
      }
      getNumberListAttribute(terraformAttribute) {
        return tokens_1.Token.asNumberList(this.interpolationForAttribute(terraformAttribute));
      }
      getStringMapAttribute(terraformAttribute) {
        return tokens_1.Token.asStringMap(this.interpolationForAttribute(terraformAttribute));
      }
      getNumberMapAttribute(terraformAttribute) {
        return tokens_1.Token.asNumberMap(this.interpolationForAttribute(terraformAttribute));
      }
      getBooleanMapAttribute(terraformAttribute) {
        return tokens_1.Token.asBooleanMap(this.interpolationForAttribute(terraformAttribute));
      }
      getAnyMapAttribute(terraformAttribute) {
        return tokens_1.Token.asAnyMap(this.interpolationForAttribute(terraformAttribute));
      }
      get terraformMetaArguments() {
        assert(!this.forEach || typeof this.count === "undefined", `forEach and count are both set, but they are mutually exclusive. You can only use either of them. Check the data source at path: ${this.node.path}`);
        return {
          dependsOn: this.dependsOn,
          count: terraform_count_1.TerraformCount.isTerraformCount(this.count) ? this.count.toTerraform() : this.count,
          provider: this.provider?.fqn,
          lifecycle: (0, terraform_resource_1.lifecycleToTerraform)(this.lifecycle),
          forEach: this.forEach?._getForEachExpression()
        };
      }
      // jsii can't handle abstract classes?
      synthesizeAttributes() {
        return {};
      }
      synthesizeHclAttributes() {
        return {};
      }
      /**
       * Adds this resource to the terraform JSON output.
       */
      toHclTerraform() {
        const attributes = (0, util_1.deepMerge)((0, util_1.processDynamicAttributesForHcl)(this.synthesizeHclAttributes()), (0, util_1.keysToSnakeCase)(this.terraformMetaArguments), this.rawOverrides);
        attributes["//"] = this.constructNodeMetadata;
        return {
          data: {
            [this.terraformResourceType]: {
              [this.friendlyUniqueId]: attributes
            }
          }
        };
      }
      /**
       * Adds this resource to the terraform JSON output.
       */
      toTerraform() {
        const attributes = (0, util_1.deepMerge)((0, util_1.processDynamicAttributes)(this.synthesizeAttributes()), (0, util_1.keysToSnakeCase)(this.terraformMetaArguments), this.rawOverrides);
        attributes["//"] = this.constructNodeMetadata;
        return {
          data: {
            [this.terraformResourceType]: {
              [this.friendlyUniqueId]: attributes
            }
          }
        };
      }
      toMetadata() {
        if (!Object.keys(this.rawOverrides).length) {
          return {};
        }
        return {
          overrides: {
            [this.terraformResourceType]: Object.keys(this.rawOverrides)
          }
        };
      }
      interpolationForAttribute(terraformAttribute) {
        return (0, tfExpression_1.ref)(`data.${this.terraformResourceType}.${this.friendlyUniqueId}${this.forEach ? ".*" : ""}.${terraformAttribute}`, this.cdktfStack);
      }
    };
    exports.TerraformDataSource = TerraformDataSource;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformDataSource[_a] = { fqn: "cdktf.TerraformDataSource", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/validations/validate-provider-presence.js
var require_validate_provider_presence = __commonJS({
  "node_modules/cdktf/lib/validations/validate-provider-presence.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ValidateProviderPresence = void 0;
    var terraform_provider_1 = require_terraform_provider();
    var terraform_resource_1 = require_terraform_resource();
    var terraform_data_source_1 = require_terraform_data_source();
    var terraform_stack_1 = require_terraform_stack();
    var ValidateProviderPresence = class {
      /**
       * Creates a ValidateProviderPresence
       */
      constructor(host) {
        this.host = host;
        this.providerNames = /* @__PURE__ */ new Set();
        this.foundProviders = [];
      }
      /**
       * Checks the construct tree recursively
       */
      check(node) {
        if (terraform_resource_1.TerraformResource.isTerraformResource(node) || terraform_data_source_1.TerraformDataSource.isTerraformDataSource(node)) {
          if (node.terraformGeneratorMetadata && node.terraformGeneratorMetadata.providerName !== "terraform") {
            this.providerNames.add(node.terraformGeneratorMetadata.providerName);
          }
        }
        if (terraform_provider_1.TerraformProvider.isTerraformProvider(node)) {
          this.foundProviders.push(node);
        }
        for (const child of node.node.children) {
          this.check(child);
        }
      }
      /**
       * Run the validation
       */
      validate() {
        this.check(this.host);
        const missingProviders = Array.from(this.providerNames).filter((name) => {
          return !this.foundProviders.some((p) => p.terraformGeneratorMetadata?.providerName === name);
        });
        if (missingProviders.length === 0) {
          return [];
        } else {
          const stack = terraform_stack_1.TerraformStack.of(this.host);
          return [
            `Found resources without a matching provider construct. Please make sure to add provider constructs [e.g. new RandomProvider(...)] to your stack '${stack.node.id}' for the following providers: ${missingProviders.join(", ")}`
          ];
        }
      }
    };
    exports.ValidateProviderPresence = ValidateProviderPresence;
  }
});

// node_modules/cdktf/lib/validations/index.js
var require_validations = __commonJS({
  "node_modules/cdktf/lib/validations/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
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
    }));
    var __exportStar = exports && exports.__exportStar || function(m, exports2) {
      for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports2, p)) __createBinding(exports2, m, p);
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    __exportStar(require_validate_binary_version(), exports);
    __exportStar(require_validate_provider_presence(), exports);
  }
});

// node_modules/cdktf/lib/terraform-resource-targets.js
var require_terraform_resource_targets = __commonJS({
  "node_modules/cdktf/lib/terraform-resource-targets.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformResourceTargets = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var errors_1 = require_errors();
    var TerraformResourceTargets = class {
      constructor() {
        this._resourceTargetMap = /* @__PURE__ */ new Map();
      }
      prettyPrintEntries() {
        return [...this._resourceTargetMap.entries()].reduce((accum, curr) => accum + `
${curr[0]}: ${curr[1].friendlyUniqueId}`, "");
      }
      addResourceTarget(resource, target) {
        if (this._resourceTargetMap.has(target)) {
          throw (0, errors_1.moveTargetAlreadySet)(target, this._resourceTargetMap.get(target)?.friendlyUniqueId);
        }
        this._resourceTargetMap.set(target, resource);
      }
      getResourceByTarget(target) {
        const result = this._resourceTargetMap.get(target);
        if (!result) {
          throw (0, errors_1.moveTargetNotSet)(target, this.prettyPrintEntries());
        }
        return result;
      }
    };
    exports.TerraformResourceTargets = TerraformResourceTargets;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformResourceTargets[_a] = { fqn: "cdktf.TerraformResourceTargets", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/hcl/render.js
var require_render = __commonJS({
  "node_modules/cdktf/lib/hcl/render.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.cleanForMetadata = cleanForMetadata;
    exports.renderList = renderList;
    exports.renderListValue = renderListValue;
    exports.renderMap = renderMap;
    exports.renderMapValue = renderMapValue;
    exports.renderResource = renderResource;
    exports.renderDatasource = renderDatasource;
    exports.renderProvisionerBlock = renderProvisionerBlock;
    exports.renderDynamicBlocks = renderDynamicBlocks;
    exports.renderProvider = renderProvider;
    exports.renderModule = renderModule;
    exports.renderOutput = renderOutput;
    exports.renderLocals = renderLocals;
    exports.renderVariable = renderVariable;
    exports.renderMoved = renderMoved;
    exports.renderImport = renderImport;
    exports.renderTerraform = renderTerraform;
    exports.renderBlock = renderBlock;
    exports.renderSimpleAttributes = renderSimpleAttributes;
    exports.renderAttributes = renderAttributes;
    var token_1 = require_token();
    function escapeQuotes(str) {
      if (str.match(/\$\{/)) {
        return str;
      }
      return str.replace(/(?<!\\)"/g, '\\"');
    }
    function wrapIdentifierInQuotesIfNeeded(key) {
      return /(^\d)|[^A-Za-z0-9_-]/.test(key) ? `"${key}"` : key;
    }
    function renderString(str) {
      if (str === "") {
        return `""`;
      }
      if (!str) {
        return str;
      }
      if (typeof str !== "string") {
        throw new Error("Unable to process attribute that should have been a string, but isn't");
      }
      const lines = str.split(/\r\n|[\n\r]/);
      if (lines.length === 1)
        return `"${escapeQuotes(str)}"`;
      return `<<EOF
${lines.join("\n")}
EOF`;
    }
    function cleanForMetadata(block) {
      const res = {};
      if (typeof block !== "object" && !Array.isArray(block)) {
        return block;
      }
      if (Array.isArray(block)) {
        return block.map((i) => cleanForMetadata(i));
      }
      const keys = Object.keys(block);
      if (keys.includes("value")) {
        return cleanForMetadata(block.value);
      }
      for (const key of keys) {
        const value = block[key];
        if (typeof value === "object" && value != null && !Array.isArray(value)) {
          if (token_1.Tokenization.isResolvable(value)) {
            res[key] = {};
            continue;
          }
          res[key] = cleanForMetadata(value);
          continue;
        } else if (typeof value === "object" && value != null && Array.isArray(value)) {
          if (Array.isArray(res[key])) {
            res[key] = [...res[key], ...value];
          } else {
            res[key] = value;
          }
        } else if (value === void 0) {
          delete res[key];
        } else {
          res[key] = value;
        }
      }
      return res;
    }
    function renderList(v, name) {
      const { isBlock, is_block, value, storage_class_type, storageClassType } = v;
      const block = isBlock || is_block;
      const classType = storageClassType || storage_class_type;
      if (value === void 0) {
        return "";
      }
      if (typeof value === "string") {
        return renderString(value);
      }
      if (name) {
        if (block) {
          if (!Array.isArray(value)) {
            return `${name} {
${renderAttributes(value)}
}`;
          }
          return value.map((v2) => {
            return `${name} {
${renderAttributes(v2)}
}`;
          }).join("\n");
        }
        if (!Array.isArray(value)) {
          return `${name} = ${renderListValue(value, classType)}`;
        }
        return `${name} = [
${value.map((v2) => renderListValue(v2, classType)).join(",\n")}
]`;
      }
      if (!Array.isArray(value)) {
        return renderListValue(value, classType);
      }
      if (block) {
        return value.map((v2) => renderListValue(v2, classType)).join("\n");
      }
      return `[
${value.map((v2) => renderListValue(v2, classType)).join(",\n")}
]`;
    }
    function renderListValue(value, storageClassType) {
      if (storageClassType === "stringList") {
        return renderString(value);
      }
      if (storageClassType === "numberList" || storageClassType === "booleanList") {
        return `${value}`;
      }
      return renderBlock(value, storageClassType);
    }
    function renderMap(map) {
      if (typeof map === "string") {
        return `"${escapeQuotes(map)}"`;
      }
      return `{
${Object.entries(map).map(([k, v]) => {
        const wrappedKey = wrapIdentifierInQuotesIfNeeded(k);
        return `${wrappedKey} = ${renderMapValue(v)}`;
      }).join("\n")}
}`;
    }
    function renderMapValue(value) {
      if (typeof value === "string") {
        return renderString(value);
      }
      if (typeof value === "number") {
        return `${value}`;
      }
      if (typeof value === "boolean") {
        return `${value}`;
      }
      if (typeof value === "object") {
        if (Array.isArray(value)) {
          return renderListValue(value, "unknownStorageClass");
        }
        if (value === null) {
          return "null";
        }
        return renderMap(value);
      }
      return `${value}`;
    }
    function renderResource(resource) {
      const resourceType = Object.keys(resource)[0];
      const resourcesWithType = resource[resourceType];
      const resourceName = Object.keys(resourcesWithType)[0];
      const resourceAttributes = resourcesWithType[resourceName];
      if (resourceAttributes.connection) {
        resourceAttributes.connection = {
          value: resourceAttributes.connection,
          isBlock: true
        };
      }
      const { provisioner, dynamic, ...otherAttrs } = resourceAttributes;
      const hcl = [`resource "${resourceType}" "${resourceName}" {`];
      const attrs = renderAttributes(otherAttrs);
      if (attrs)
        hcl.push(attrs);
      if (provisioner)
        hcl.push(renderProvisionerBlock(provisioner));
      if (dynamic)
        hcl.push(...renderDynamicBlocks(dynamic));
      hcl.push("}");
      return {
        hcl: hcl.join("\n"),
        metadata: {
          resource: {
            [resourceType]: {
              [resourceName]: {
                "//": resourceAttributes["//"]
              }
            }
          }
        }
      };
    }
    function renderDatasource(dataSource) {
      const dataSourceType = Object.keys(dataSource)[0];
      const dataSourcesWithType = dataSource[dataSourceType];
      const dataSourceName = Object.keys(dataSourcesWithType)[0];
      const dataSourceAttributes = dataSourcesWithType[dataSourceName];
      const { dynamic, ...otherAttrs } = dataSourceAttributes;
      const hcl = [`data "${dataSourceType}" "${dataSourceName}" {`];
      const attrs = renderAttributes(otherAttrs);
      if (attrs)
        hcl.push(attrs);
      if (dynamic)
        hcl.push(...renderDynamicBlocks(dynamic));
      hcl.push("}");
      return {
        hcl: hcl.join("\n"),
        metadata: {
          data: {
            [dataSourceType]: {
              [dataSourceName]: {
                "//": dataSourceAttributes["//"]
              }
            }
          }
        }
      };
    }
    function renderProvisionerBlock(provisioners) {
      return provisioners.map((provisioner) => {
        const provisionerType = Object.keys(provisioner)[0];
        const provisionerAttrs = provisioner[provisionerType];
        if (provisionerAttrs.connection) {
          provisionerAttrs.connection = {
            value: provisionerAttrs.connection,
            isBlock: true
          };
        }
        const { dynamic, ...otherAttrs } = provisionerAttrs;
        const hcl = [`provisioner "${provisionerType}" {`];
        const attrs = renderAttributes(otherAttrs.value || otherAttrs);
        if (attrs)
          hcl.push(attrs);
        if (dynamic)
          hcl.push(...renderDynamicBlocks(dynamic));
        hcl.push("}");
        return hcl.join("\n");
      }).join("\n\n");
    }
    function renderDynamicBlocks(dynamic) {
      return Object.entries(dynamic).map(([dynamicName, dynamicAttrs]) => {
        const res = [`dynamic "${dynamicName}" {`];
        res.push(`for_each = ${renderFuzzyJsonExpression(dynamicAttrs?.for_each)}`);
        if (dynamicAttrs?.iterator) {
          res.push(`iterator = ${dynamicAttrs?.iterator}`);
        }
        if (dynamicAttrs?.labels) {
          res.push(`labels = ${renderFuzzyJsonExpression(dynamicAttrs?.labels)}`);
        }
        res.push(`content {
  ${renderAttributes(dynamicAttrs.content)}
  }`);
        res.push(`}`);
        return res.join("\n");
      });
    }
    function renderProvider(provider) {
      const providerName = Object.keys(provider)[0];
      const providerAttributes = provider[providerName];
      return providerAttributes.map((providerInstance) => {
        const { dynamic, ...otherAttrs } = providerInstance;
        const hcl = [`provider "${providerName}" {`];
        const attrs = renderAttributes(otherAttrs);
        if (attrs)
          hcl.push(attrs);
        if (dynamic)
          hcl.push(...renderDynamicBlocks(dynamic));
        hcl.push("}");
        return hcl.join("\n");
      }).join("\n\n");
    }
    function renderModule(module2) {
      const moduleName = Object.keys(module2)[0];
      const moduleAttributes = module2[moduleName];
      return {
        hcl: `module "${moduleName}" {
${renderAttributes(moduleAttributes)}
}`,
        metadata: {
          module: {
            [moduleName]: {
              "//": moduleAttributes["//"]
            }
          }
        }
      };
    }
    function renderOutput(output) {
      const outputName = Object.keys(output)[0];
      const outputAttributes = output[outputName];
      return `output "${outputName}" {
${renderAttributes(outputAttributes)}
}`;
    }
    function renderLocals(locals) {
      if (!locals) {
        return "";
      }
      const localNames = Object.keys(locals);
      if (localNames.length === 0) {
        return "";
      }
      return `locals {
    ${localNames.filter((name) => !!locals[name].value).map((name) => {
        const value = renderFuzzyJsonExpression(locals[name].value);
        return `${name} = ${value}`;
      }).join("\n")}
}`;
    }
    function renderVariable(variable) {
      const variableName = Object.keys(variable)[0];
      const variableAttributes = variable[variableName];
      return `variable "${variableName}" {
${renderAttributes(variableAttributes)}
}`;
    }
    function renderMoved(move) {
      const movedBlocks = move.map((moveBlock) => {
        return `moved {
${renderAttributes(moveBlock)}
}`;
      });
      return movedBlocks.join("\n");
    }
    function renderImport(imports) {
      const importBlocks = imports.map((importBlock) => {
        return `import {
${renderAttributes(importBlock)}
}`;
      });
      return importBlocks.join("\n");
    }
    function renderTerraform(terraform) {
      const blockAttributes = ["required_providers", "backend", "cloud"];
      const requiredProviders = `required_providers {
${renderSimpleAttributes(terraform.required_providers)}
}`;
      const backends = Object.keys(terraform.backend || {}).map((backendName) => {
        return `backend "${backendName}" {
${renderAttributes(terraform.backend[backendName])}
}`;
      });
      const cloudBackend = terraform.cloud ? `cloud {
${renderAttributes(terraform.cloud)}
}` : void 0;
      const otherAttributes = Object.keys(terraform).filter((key) => !blockAttributes.includes(key));
      return `terraform {
${requiredProviders}
${[...backends, cloudBackend].join("\n")}
${renderSimpleAttributes(otherAttributes)}
}`;
    }
    function renderBlock(block, _storageClassType) {
      return `{
${renderAttributes(block)}
}`;
    }
    function renderFuzzyJsonObject(jsonObject) {
      return [
        "{",
        ...Object.entries(jsonObject).map(([name, value]) => {
          const wrappedKey = wrapIdentifierInQuotesIfNeeded(name);
          return `${wrappedKey} = ${renderFuzzyJsonExpression(value)}`;
        }),
        "}"
      ].join("\n");
    }
    function renderFuzzyJsonExpression(jsonExpression) {
      if (Array.isArray(jsonExpression)) {
        return [
          "[",
          ...jsonExpression.map((value) => `${renderFuzzyJsonExpression(value)},`),
          "]"
        ].join("\n");
      }
      if (typeof jsonExpression === "object") {
        return renderFuzzyJsonObject(jsonExpression);
      }
      if (typeof jsonExpression === "string") {
        if (jsonExpression === "") {
          return `""`;
        }
        if (jsonExpression.includes("${")) {
          return `"${jsonExpression}"`;
        }
        if (parseInt(jsonExpression, 10).toString() === jsonExpression) {
          return jsonExpression;
        }
        if (jsonExpression.startsWith("[")) {
          return jsonExpression;
        }
        if (jsonExpression.startsWith("{")) {
          return jsonExpression;
        }
        if (jsonExpression.startsWith('"')) {
          return jsonExpression;
        }
        return `"${escapeQuotes(jsonExpression)}"`;
      }
      if (jsonExpression === "true" || jsonExpression === "false") {
        return jsonExpression;
      }
      if (jsonExpression === "null") {
        return jsonExpression;
      }
      return `${jsonExpression}`;
    }
    function renderSimpleAttributes(attributes) {
      if (attributes === void 0) {
        return "";
      }
      return Object.entries(attributes).map(([name, value]) => `  ${name} = ${renderFuzzyJsonExpression(value)}`).join("\n");
    }
    function renderAttributes(attributes) {
      if (attributes === void 0 || attributes === null) {
        return "";
      }
      return Object.entries(attributes).map(([name, v]) => {
        if (name === "//") {
          return void 0;
        }
        const metaBlocks = ["lifecycle", "provisioner"];
        if (typeof v === "string" || typeof v === "number") {
          return `${name} = ${renderFuzzyJsonExpression(v)}`;
        } else if (typeof v === "boolean") {
          return `${name} = ${v}`;
        } else if (Array.isArray(v)) {
          return `${name} = ${renderFuzzyJsonExpression(v)}`;
        } else if (v === null) {
          return `${name} = null`;
        } else if (typeof v === "object" && // eslint-disable-next-line no-prototype-builtins
        !v.hasOwnProperty("value") && // eslint-disable-next-line no-prototype-builtins
        !v.hasOwnProperty("dynamic")) {
          if (metaBlocks.includes(name)) {
            return `${name} {
${renderSimpleAttributes(v)}
}`;
          }
          return `${name} = ${renderFuzzyJsonExpression(v)}`;
        } else if (v === void 0) {
          return void 0;
        }
        const { dynamic, value, type, isBlock, storageClassType, is_block, storage_class_type } = v;
        const block = isBlock || is_block || metaBlocks.includes(name);
        const classType = storageClassType || storage_class_type;
        if (dynamic) {
          return renderDynamicBlocks({
            [name]: dynamic.value
          });
        }
        if (typeof value === "string" && value.includes("${")) {
          return `${name} = ${renderString(value)}`;
        }
        if (block && type !== "list" && type !== "set") {
          return `${name} {
${renderAttributes(value)}
}`;
        }
        if (type === "list" || type === "set") {
          if (block) {
            return renderList(v, name);
          }
          return `${name} = ${renderList(v)}`;
        }
        if (type === "map") {
          return `${name} = ${renderMap(value)}`;
        }
        if (type === "simple") {
          if (classType === "string") {
            return `${name} = ${renderString(value)}`;
          }
          if (classType === "number" || classType === "boolean") {
            return `${name} = ${value}`;
          }
          if (typeof value === "object") {
            return `
# Warning: The following attribute is of an unexpected type. Either there's a problem with the provider
# or CDKTF has chosen to skip generating a detailed type for this because it increases the size of the provider library significantly. 
# Please check if this resource is included in our skip list: 
# https://github.com/hashicorp/terraform-cdk/blob/1fb8588095a55d475dc4be28882ec4f42006ec8d/packages/%40cdktf/provider-generator/lib/get/generator/skipped-attributes.ts
# and if not, please check with the provider authors to see if the provider schema is accurate.
# 
# We understand this is not ideal, so we suggest using JSON synthesis instead of HCL synthesis for this particular case.

${name} = ${renderFuzzyJsonExpression(value)}
`;
          }
        }
        if (type === "any") {
          return `${name} = ${renderFuzzyJsonExpression(value)}`;
        }
        if (type === "reference") {
          return `${name} = ${value}`;
        }
        return `${name} = ${value}`;
      }).filter((v) => v !== void 0).join("\n");
    }
  }
});

// node_modules/cdktf/lib/terraform-stack.js
var require_terraform_stack = __commonJS({
  "node_modules/cdktf/lib/terraform-stack.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformStack = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var constructs_1 = require_lib();
    var _tokens_1 = require_tokens2();
    var terraform_element_1 = require_terraform_element();
    var util_1 = require_util();
    var terraform_provider_1 = require_terraform_provider();
    var local_backend_1 = require_local_backend();
    var tfExpression_1 = require_tfExpression();
    var terraform_output_1 = require_terraform_output();
    var unique_1 = require_unique();
    var synthesizer_1 = require_synthesizer();
    var STACK_SYMBOL = /* @__PURE__ */ Symbol.for("cdktf/TerraformStack");
    var validations_1 = require_validations();
    var app_1 = require_app();
    var terraform_backend_1 = require_terraform_backend();
    var terraform_resource_targets_1 = require_terraform_resource_targets();
    var terraform_resource_1 = require_terraform_resource();
    var render_1 = require_render();
    var errors_1 = require_errors();
    function throwIfIdIsGlobCharacter(str) {
      ["*", "?", "[", "]", "{", "}", "!"].forEach((char) => {
        if (str.includes(char)) {
          throw (0, errors_1.stackContainsDisallowedChar)(str, char);
        }
      });
    }
    function throwIfIdContainsWhitespace(str) {
      if (/\s/.test(str)) {
        throw (0, errors_1.stackIdContainsWhitespace)(str);
      }
    }
    var TerraformStack3 = class _TerraformStack extends constructs_1.Construct {
      constructor(scope, id) {
        super(scope, id);
        this.rawOverrides = {};
        this.crossStackOutputs = {};
        this.crossStackDataSources = {};
        this.dependencies = [];
        this.moveTargets = new terraform_resource_targets_1.TerraformResourceTargets();
        throwIfIdIsGlobCharacter(id);
        throwIfIdContainsWhitespace(id);
        this.cdktfVersion = this.node.tryGetContext("cdktfVersion");
        this.synthesizer = new synthesizer_1.StackSynthesizer(this, process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== void 0, process.env.SYNTH_HCL_OUTPUT === "true" || process.env.SYNTH_HCL_OUTPUT === "1");
        Object.defineProperty(this, STACK_SYMBOL, { value: true });
        this.node.addValidation(new validations_1.ValidateProviderPresence(this));
      }
      static isStack(x) {
        return x !== null && typeof x === "object" && STACK_SYMBOL in x;
      }
      static of(construct) {
        return _lookup(construct);
        function _lookup(c) {
          if (_TerraformStack.isStack(c)) {
            return c;
          }
          const node = c.node;
          if (!node.scope) {
            let hint = "";
            if (construct.node.scope === c && app_1.App.isApp(c)) {
              hint = `. You seem to have passed your root App as scope to a construct. Pass a stack (inheriting from TerraformStack) as scope to your construct instead.`;
            }
            throw (0, errors_1.noStackForConstruct)(construct.node.path, hint);
          }
          return _lookup(node.scope);
        }
      }
      findAll(predicate) {
        const items = [];
        const visit = async (node) => {
          if (predicate(node)) {
            items.push(node);
          }
          for (const child of node.node.children) {
            visit(child);
          }
        };
        visit(this);
        return items;
      }
      prepareStack() {
        this.ensureBackendExists();
        terraformElements(this).forEach((e) => (0, _tokens_1.resolve)(this, e.toTerraform(), true));
      }
      addOverride(path, value) {
        const parts = path.split(".");
        let curr = this.rawOverrides;
        while (parts.length > 1) {
          const key = parts.shift();
          const isObject = curr[key] != null && typeof curr[key] === "object" && !Array.isArray(curr[key]);
          if (!isObject) {
            curr[key] = {};
          }
          curr = curr[key];
        }
        const lastKey = parts.shift();
        curr[lastKey] = value;
      }
      getLogicalId(tfElement) {
        return this.allocateLogicalId(tfElement);
      }
      /**
       * Returns the naming scheme used to allocate logical IDs. By default, uses
       * the `HashedAddressingScheme` but this method can be overridden to customize
       * this behavior.
       *
       * @param tfElement The element for which the logical ID is allocated.
       */
      allocateLogicalId(tfElement) {
        const node = terraform_element_1.TerraformElement.isTerraformElement(tfElement) ? tfElement.node : tfElement;
        const stack = terraform_element_1.TerraformElement.isTerraformElement(tfElement) ? tfElement.cdktfStack : this;
        const stackIndex = node.scopes.indexOf(stack);
        const components = node.scopes.slice(stackIndex + 1).map((c) => c.node.id);
        return components.length > 0 ? (0, unique_1.makeUniqueId)(components) : "";
      }
      allProviders() {
        return this.findAll(terraform_provider_1.TerraformProvider.isTerraformProvider);
      }
      ensureBackendExists() {
        const backends = this.findAll(terraform_backend_1.TerraformBackend.isBackend);
        return backends[0] || new local_backend_1.LocalBackend(this, {});
      }
      toHclTerraform() {
        const metadata = {
          version: this.cdktfVersion,
          stackName: this.node.id,
          backend: "local",
          // overwritten by backend implementations if used
          cloud: void 0,
          // overwritten by cloud and remote backend implementations
          ...Object.keys(this.rawOverrides).length > 0 ? { overrides: { stack: Object.keys(this.rawOverrides) } } : {}
        };
        const elements = terraformElements(this);
        const metadatas = elements.map((e) => (0, _tokens_1.resolve)(this, e.toMetadata()));
        for (const meta of metadatas) {
          (0, util_1.deepMerge)(metadata, meta);
        }
        const outputs = elements.reduce((carry, item) => {
          if (!terraform_output_1.TerraformOutput.isTerraformOutput(item)) {
            return carry;
          }
          (0, util_1.deepMerge)(carry, item.node.path.split("/").reduceRight((innerCarry, part) => {
            if (Object.keys(innerCarry).length === 0) {
              return { [part]: item.friendlyUniqueId };
            }
            return { [part]: innerCarry };
          }, {}));
          return carry;
        }, {});
        const tf = {};
        const fragments = elements.map((e) => (0, _tokens_1.resolve)(this, e.toHclTerraform()));
        const locals = {};
        const tfMeta = {
          "//": {
            metadata,
            outputs
          }
        };
        const hclFragments = fragments.map((frag) => {
          let res = "";
          if (frag.resource) {
            const { hcl, metadata: metadata2 } = (0, render_1.renderResource)(frag.resource);
            (0, util_1.deepMerge)(tfMeta, metadata2);
            res = [res, hcl].join("\n");
          }
          if (frag.data) {
            const { hcl, metadata: metadata2 } = (0, render_1.renderDatasource)(frag.data);
            (0, util_1.deepMerge)(tfMeta, metadata2);
            res = [res, hcl].join("\n");
          }
          if (frag.provider) {
            (0, util_1.deepMerge)(tf, frag);
            res = [res, (0, render_1.renderProvider)(frag.provider)].join("\n\n");
          }
          if (frag.terraform) {
            (0, util_1.deepMerge)(tf, frag);
          }
          if (frag.module) {
            const { hcl, metadata: metadata2 } = (0, render_1.renderModule)(frag.module);
            (0, util_1.deepMerge)(tfMeta, metadata2);
            res = [res, hcl].join("\n");
          }
          if (frag.output) {
            res = [res, (0, render_1.renderOutput)(frag.output)].join("\n\n");
          }
          if (frag.moved) {
            res = [res, (0, render_1.renderMoved)(frag.moved)].join("\n\n");
          }
          if (frag.import) {
            res = [res, (0, render_1.renderImport)(frag.import)].join("\n\n");
          }
          if (frag.locals) {
            (0, util_1.deepMerge)(locals, frag);
          }
          if (frag.variable) {
            res = [res, (0, render_1.renderVariable)(frag.variable)].join("\n\n");
          }
          return res;
        }).filter((frag) => frag !== void 0);
        (0, util_1.deepMerge)(tf, this.rawOverrides);
        const terraformBlock = tf?.terraform;
        let terraformBlockHcl = "";
        if (terraformBlock) {
          terraformBlockHcl = (0, render_1.renderTerraform)(terraformBlock);
          (0, util_1.deepMerge)(tfMeta, { terraform: (0, render_1.cleanForMetadata)(terraformBlock) });
        }
        let localsHcl = "";
        if (locals) {
          localsHcl = (0, render_1.renderLocals)(locals.locals);
          if (localsHcl) {
            localsHcl = "\n\n" + localsHcl;
          }
        }
        return {
          hcl: (0, _tokens_1.resolve)(this, [terraformBlockHcl, localsHcl, ...hclFragments].join("")),
          metadata: (0, _tokens_1.resolve)(this, tfMeta)
        };
      }
      toTerraform() {
        const tf = {};
        const metadata = {
          version: this.cdktfVersion,
          stackName: this.node.id,
          backend: "local",
          // overwritten by backend implementations if used
          cloud: void 0,
          // overwritten by cloud and remote backend implementations
          ...Object.keys(this.rawOverrides).length > 0 ? { overrides: { stack: Object.keys(this.rawOverrides) } } : {}
        };
        const elements = terraformElements(this);
        const metadatas = elements.map((e) => (0, _tokens_1.resolve)(this, e.toMetadata()));
        for (const meta of metadatas) {
          (0, util_1.deepMerge)(metadata, meta);
        }
        const outputs = elements.reduce((carry, item) => {
          if (!terraform_output_1.TerraformOutput.isTerraformOutput(item)) {
            return carry;
          }
          (0, util_1.deepMerge)(carry, item.node.path.split("/").reduceRight((innerCarry, part) => {
            if (Object.keys(innerCarry).length === 0) {
              return { [part]: item.friendlyUniqueId };
            }
            return { [part]: innerCarry };
          }, {}));
          return carry;
        }, {});
        tf["//"] = { metadata, outputs };
        const fragments = elements.map((e) => (0, _tokens_1.resolve)(this, e.toTerraform()));
        for (const fragment of fragments) {
          (0, util_1.deepMerge)(tf, fragment);
        }
        (0, util_1.deepMerge)(tf, this.rawOverrides);
        return (0, _tokens_1.resolve)(this, tf);
      }
      registerOutgoingCrossStackReference(identifier) {
        if (this.crossStackOutputs[identifier]) {
          return this.crossStackOutputs[identifier];
        }
        const output = new terraform_output_1.TerraformOutput(this, `cross-stack-output-${identifier}`, {
          value: (0, tfExpression_1.ref)(identifier, this),
          sensitive: true
        });
        this.crossStackOutputs[identifier] = output;
        return output;
      }
      registerIncomingCrossStackReference(fromStack) {
        if (this.crossStackDataSources[String(fromStack)]) {
          return this.crossStackDataSources[String(fromStack)];
        }
        const originBackend = fromStack.ensureBackendExists();
        const originPath = fromStack.node.path;
        const remoteState = originBackend.getRemoteStateDataSource(this, `cross-stack-reference-input-${originPath}`, originPath);
        this.crossStackDataSources[originPath] = remoteState;
        return remoteState;
      }
      // Check here for loops in the dependency graph
      dependsOn(stack) {
        return this.dependencies.includes(stack) || this.dependencies.some((d) => d.dependsOn(stack));
      }
      addDependency(dependency) {
        if (dependency.dependsOn(this)) {
          throw (0, errors_1.stackHasCircularDependency)(this, dependency);
        }
        if (this.dependencies.includes(dependency)) {
          return;
        }
        this.dependencies.push(dependency);
      }
      /**
       * Run all validations on the stack.
       */
      runAllValidations() {
        const errors = this.node.findAll().map((node) => node.node.validate().map((error) => ({ message: error, source: node }))).reduce((prev, curr) => [...prev, ...curr], []);
        if (errors.length > 0) {
          const errorList = errors.map((e) => `[${e.source.node.path}] ${e.message}`).join("\n  ");
          throw (0, errors_1.stackValidationFailure)(errorList);
        }
      }
      hasResourceMove() {
        return terraformElements(this).some((e) => {
          if (terraform_resource_1.TerraformResource.isTerraformResource(e) && e.hasResourceMove()) {
            return true;
          }
          return false;
        });
      }
    };
    exports.TerraformStack = TerraformStack3;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformStack3[_a] = { fqn: "cdktf.TerraformStack", version: "0.21.0" };
    function terraformElements(node, into = []) {
      if (terraform_element_1.TerraformElement.isTerraformElement(node)) {
        into.push(node);
      }
      for (const child of node.node.children) {
        if (TerraformStack3.isStack(child)) {
          continue;
        }
        terraformElements(child, into);
      }
      return into;
    }
  }
});

// cdktf-without-archiver:archiver
var require_archiver = __commonJS({
  "cdktf-without-archiver:archiver"(exports, module) {
    module.exports = function archiver() {
      throw new Error("archiver is not bundled: CDKTF assets cannot be zipped in this build");
    };
  }
});

// node_modules/cdktf/lib/private/fs.js
var require_fs = __commonJS({
  "node_modules/cdktf/lib/private/fs.js"(exports, module) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.copySync = copySync;
    exports.archiveSync = archiveSync;
    exports.hashPath = hashPath;
    exports.findFileAboveCwd = findFileAboveCwd;
    var fs = __require("fs");
    var path = __require("path");
    var crypto = __require("crypto");
    var archiver = require_archiver();
    var errors_1 = require_errors();
    var child_process_1 = __require("child_process");
    var HASH_LEN = 32;
    function copySync(src, dest) {
      function copyItem(p) {
        const sourcePath = path.resolve(src, p);
        const stat = fs.statSync(sourcePath);
        if (stat.isFile()) {
          fs.copyFileSync(sourcePath, path.resolve(dest, p));
        }
        if (stat.isDirectory()) {
          walkSubfolder(p);
        }
      }
      function walkSubfolder(p) {
        const sourceDir = path.resolve(src, p);
        fs.mkdirSync(path.resolve(dest, p), { recursive: true });
        fs.readdirSync(sourceDir).forEach((item) => copyItem(path.join(p, item)));
      }
      walkSubfolder(".");
    }
    function archiveSync(src, dest) {
      try {
        (0, child_process_1.execSync)(`node ${__filename} ${src} ${dest}`, { encoding: "utf-8" });
      } catch (err) {
        throw (0, errors_1.assetCanNotCreateZipArchive)(src, dest, err);
      }
    }
    async function runArchive(src, dest) {
      return new Promise((resolve, reject) => {
        const output = fs.createWriteStream(dest);
        const archive = archiver("zip", {
          zlib: { level: 9 }
          // Sets the compression level.
        });
        archive.pipe(output);
        archive.on("error", (err) => {
          reject(err);
        });
        output.on("close", () => {
          resolve();
        });
        archive.directory(src, false);
        archive.finalize();
      });
    }
    if (__require.main === module) {
      const src = process.argv[2];
      const dest = process.argv[3];
      runArchive(src, dest).then(() => {
        process.exit(0);
      }).catch((err) => {
        console.error(err);
        process.exit(1);
      });
    }
    function hashPath(src) {
      const hash = crypto.createHash("md5");
      function hashRecursion(p) {
        const stat = fs.statSync(p);
        if (stat.isFile()) {
          hash.update(fs.readFileSync(p));
        } else if (stat.isDirectory()) {
          fs.readdirSync(p).forEach((filename) => hashRecursion(path.resolve(p, filename)));
        }
      }
      hashRecursion(src);
      return hash.digest("hex").slice(0, HASH_LEN).toUpperCase();
    }
    function findFileAboveCwd(file, rootPath = process.cwd()) {
      const fullPath = path.resolve(rootPath, file);
      if (fs.existsSync(fullPath)) {
        return fullPath;
      }
      const parentDir = path.resolve(rootPath, "..");
      if (fs.existsSync(parentDir) && parentDir !== rootPath) {
        return findFileAboveCwd(file, parentDir);
      }
      return null;
    }
  }
});

// node_modules/cdktf/lib/terraform-asset.js
var require_terraform_asset = __commonJS({
  "node_modules/cdktf/lib/terraform-asset.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformAsset = exports.AssetType = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var constructs_1 = require_lib();
    var fs = __require("fs");
    var path = __require("path");
    var fs_1 = require_fs();
    var synthesizer_1 = require_synthesizer();
    var terraform_stack_1 = require_terraform_stack();
    var errors_1 = require_errors();
    var AssetType;
    (function(AssetType2) {
      AssetType2[AssetType2["FILE"] = 0] = "FILE";
      AssetType2[AssetType2["DIRECTORY"] = 1] = "DIRECTORY";
      AssetType2[AssetType2["ARCHIVE"] = 2] = "ARCHIVE";
    })(AssetType || (exports.AssetType = AssetType = {}));
    var ARCHIVE_NAME = "archive.zip";
    var ASSETS_DIRECTORY = "assets";
    var TerraformAsset = class extends constructs_1.Construct {
      /**
       * A Terraform Asset takes a file or directory outside of the CDK for Terraform context and moves it into it.
       * Assets copy referenced files into the stacks context for further usage in other resources.
       * @param scope
       * @param id
       * @param config
       */
      constructor(scope, id, config) {
        super(scope, id);
        this.stack = terraform_stack_1.TerraformStack.of(this);
        if (path.isAbsolute(config.path)) {
          this.sourcePath = config.path;
        } else {
          const cdktfJsonPath = scope.node.tryGetContext("cdktfJsonPath") ?? (0, fs_1.findFileAboveCwd)("cdktf.json");
          if (cdktfJsonPath) {
            const absolutePath = path.resolve(path.dirname(cdktfJsonPath), config.path);
            this.sourcePath = path.relative(process.cwd(), absolutePath);
          } else {
            throw (0, errors_1.assetOutOfScopeOfCDKTFJson)(id, config.path);
          }
        }
        const stat = fs.statSync(this.sourcePath);
        const inferredType = stat.isFile() ? AssetType.FILE : AssetType.DIRECTORY;
        this.type = config.type ?? inferredType;
        this.assetHash = config.assetHash || (0, fs_1.hashPath)(this.sourcePath);
        if (stat.isFile() && this.type !== AssetType.FILE) {
          throw (0, errors_1.assetExpectsDirectory)(id, config.path);
        }
        if (!stat.isFile() && this.type === AssetType.FILE) {
          throw (0, errors_1.assetExpectsDirectory)(id, config.path);
        }
        (0, synthesizer_1.addCustomSynthesis)(this, {
          onSynthesize: this._onSynthesize.bind(this)
        });
      }
      get namedFolder() {
        return path.posix.join(ASSETS_DIRECTORY, this.stack.getLogicalId(this.node));
      }
      /**
       * The path relative to the root of the terraform directory in posix format
       * Use this property to reference the asset
       */
      get path() {
        return path.posix.join(
          this.namedFolder,
          // readable name
          this.assetHash,
          // hash depending on content so that path changes if content changes
          this.type === AssetType.DIRECTORY ? "" : this.fileName
        );
      }
      /**
       * Name of the asset
       */
      get fileName() {
        switch (this.type) {
          case AssetType.ARCHIVE:
            return ARCHIVE_NAME;
          default:
            return path.basename(this.sourcePath);
        }
      }
      _onSynthesize(session) {
        const stackManifest = session.manifest.forStack(this.stack);
        const basePath = path.join(session.manifest.outdir, stackManifest.synthesizedStackPath, "..");
        const previousVersionsFolder = path.join(basePath, this.namedFolder);
        if (fs.existsSync(previousVersionsFolder)) {
          fs.rmSync(previousVersionsFolder, { recursive: true });
        }
        const targetPath = path.join(basePath, this.path);
        if (this.type === AssetType.DIRECTORY) {
          fs.mkdirSync(targetPath, { recursive: true });
        } else {
          fs.mkdirSync(path.dirname(targetPath), { recursive: true });
        }
        switch (this.type) {
          case AssetType.FILE:
            fs.copyFileSync(this.sourcePath, targetPath);
            break;
          case AssetType.DIRECTORY:
            (0, fs_1.copySync)(this.sourcePath, targetPath);
            break;
          case AssetType.ARCHIVE:
            (0, fs_1.archiveSync)(this.sourcePath, targetPath);
            break;
          default:
            throw (0, errors_1.assetTypeNotImplemented)();
        }
      }
    };
    exports.TerraformAsset = TerraformAsset;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformAsset[_a] = { fqn: "cdktf.TerraformAsset", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-module-asset.js
var require_terraform_module_asset = __commonJS({
  "node_modules/cdktf/lib/terraform-module-asset.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformModuleAsset = void 0;
    exports.findLowestCommonPath = findLowestCommonPath;
    var constructs_1 = require_lib();
    var path = __require("path");
    var os = __require("os");
    var fs = __require("fs");
    var terraform_stack_1 = require_terraform_stack();
    var terraform_asset_1 = require_terraform_asset();
    var fs_1 = require_fs();
    var TERRAFORM_MODULE_ASSET_SYMBOL = /* @__PURE__ */ Symbol.for("cdktf.TerraformModuleAsset");
    var TerraformModuleAsset = class _TerraformModuleAsset extends constructs_1.Construct {
      constructor(scope, id) {
        super(scope, id);
        const relativeModules = this.node.tryGetContext("cdktfRelativeModules");
        const staticModuleAssetHash = this.node.tryGetContext("cdktfStaticModuleAssetHash");
        if (!relativeModules) {
          throw new Error("You are trying to use a local module with a relative path, but the cdktfRelativeModules context is not set. It is expected to be an array of strings containing the relative paths to the relative modules your app is using. You either need to supply it in the Apps constructor via the context option or invoke the synthesis through the CLI. We need this information so that assets with relative paths are properly handled when used with assets, so you can also set the skipAssetCreationFromLocalModules to true on your relative modules.");
        }
        const moduleSources = relativeModules.map((module2) => typeof module2 === "string" ? module2 : module2.source);
        const relativeAssetPath = findLowestCommonPath(moduleSources);
        if (!relativeAssetPath) {
          throw new Error("Could not find lowest common path for relative modules. This should not happen, you might be overwriting the cdktfRelativeModules value of the context with something unexpected. We expect an array of string or objects with a source attribute where the string or the source attribute reference a relative path to a module. The context can be set in the context option of the App Constructor Options.");
        }
        this.relativeAssetPath = relativeAssetPath;
        const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-module-asset-"));
        for (const module2 of moduleSources) {
          const target = path.join(tmpDir, this.relativeModulePath(module2));
          copySync(module2, target);
        }
        this.asset = new terraform_asset_1.TerraformAsset(this, "asset", {
          path: tmpDir,
          type: terraform_asset_1.AssetType.DIRECTORY,
          assetHash: staticModuleAssetHash ?? (0, fs_1.hashPath)(relativeAssetPath)
        });
      }
      static of(construct) {
        const stack = terraform_stack_1.TerraformStack.of(construct);
        let asset = stack[TERRAFORM_MODULE_ASSET_SYMBOL];
        if (!asset) {
          asset = new _TerraformModuleAsset(stack, "__cdktf_module_asset");
          Object.defineProperty(stack, TERRAFORM_MODULE_ASSET_SYMBOL, {
            value: asset,
            configurable: false,
            enumerable: false
          });
        }
        return asset;
      }
      /**
       * The input source is relative to cwd, but we want the value relative
       * to the assets target, so the common path prefix
       */
      relativeModulePath(source) {
        const absoluteSourcePath = path.resolve(source);
        const absoluteAssetPath = path.resolve(this.relativeAssetPath);
        return path.relative(absoluteAssetPath, absoluteSourcePath);
      }
      getAssetPathForModule(source) {
        return `./${path.join(this.asset.path, this.relativeModulePath(source))}`;
      }
    };
    exports.TerraformModuleAsset = TerraformModuleAsset;
    function findLowestCommonPath(paths) {
      if (paths.length === 0) {
        return void 0;
      }
      const absolutePaths = paths.map((p) => path.resolve(p));
      let absolutePathPrefix = absolutePaths[0];
      while (!absolutePaths.every((p) => p.startsWith(absolutePathPrefix)) && absolutePathPrefix !== "/") {
        absolutePathPrefix = path.dirname(absolutePathPrefix);
      }
      const relativePath = path.relative(process.cwd(), absolutePathPrefix);
      return relativePath === "" ? "." : relativePath;
    }
    function copySync(from, to) {
      if (fs.lstatSync(from).isDirectory()) {
        fs.mkdirSync(to, { recursive: true });
        for (const file of fs.readdirSync(from)) {
          copySync(path.join(from, file), path.join(to, file));
        }
      } else {
        fs.copyFileSync(from, to);
      }
    }
  }
});

// node_modules/cdktf/lib/terraform-module.js
var require_terraform_module = __commonJS({
  "node_modules/cdktf/lib/terraform-module.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformModule = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_element_1 = require_terraform_element();
    var terraform_provider_1 = require_terraform_provider();
    var util_1 = require_util();
    var tokens_1 = require_tokens();
    var tfExpression_1 = require_tfExpression();
    var errors_1 = require_errors();
    var terraform_module_asset_1 = require_terraform_module_asset();
    var TerraformModule = class extends terraform_element_1.TerraformElement {
      constructor(scope, id, options) {
        super(scope, id, "module");
        this.source = options.source;
        if (!options.skipAssetCreationFromLocalModules) {
          if (options.source.startsWith("./") || options.source.startsWith("../")) {
            this.source = terraform_module_asset_1.TerraformModuleAsset.of(scope).getAssetPathForModule(options.source);
          }
        }
        this.version = options.version;
        this._providers = options.providers;
        this.validateIfProvidersHaveUniqueKeys();
        if (Array.isArray(options.dependsOn)) {
          this.dependsOn = options.dependsOn.map((dependency) => (0, tfExpression_1.dependable)(dependency));
        }
        this.forEach = options.forEach;
      }
      // Adds synth-time validations
      onSynth() {
        if (this.node.children.length > 0) {
          throw (0, errors_1.terraformModuleHasChildren)(this.node.path);
        }
      }
      // jsii can't handle abstract classes?
      synthesizeAttributes() {
        return {};
      }
      // jsii can't handle abstract classes?
      synthesizeHclAttributes() {
        return {};
      }
      interpolationForOutput(moduleOutput) {
        return (0, tfExpression_1.ref)(`module.${this.friendlyUniqueId}${this.forEach ? ".*" : ""}.${moduleOutput}`, this.cdktfStack);
      }
      getString(output) {
        return tokens_1.Token.asString(this.interpolationForOutput(output));
      }
      get providers() {
        return this._providers;
      }
      addProvider(provider) {
        if (!this._providers) {
          this._providers = [];
        }
        this._providers.push(provider);
        this.validateIfProvidersHaveUniqueKeys();
      }
      toHclTerraform() {
        this.onSynth();
        const attributes = (0, util_1.deepMerge)({
          ...this.synthesizeHclAttributes(),
          source: {
            value: this.source,
            type: "simple",
            isBlock: false,
            storageClassType: "string"
          },
          version: this.version ? {
            value: this.version,
            type: "simple",
            isBlock: false,
            storageClassType: "string"
          } : void 0,
          providers: this._providers?.reduce((a, p) => {
            if (terraform_provider_1.TerraformProvider.isTerraformProvider(p)) {
              return { ...a, [p.terraformResourceType]: p.fqn };
            } else {
              return {
                ...a,
                [`${p.provider.terraformResourceType}.${p.moduleAlias}`]: p.provider.fqn
              };
            }
          }, {}),
          depends_on: this.dependsOn ? {
            value: this.dependsOn,
            type: "list",
            isBlock: false,
            storageClassType: "string"
          } : void 0,
          for_each: this.forEach?._getForEachExpression()
        }, this.rawOverrides);
        attributes["//"] = this.constructNodeMetadata;
        return {
          module: {
            [this.friendlyUniqueId]: attributes
          }
        };
      }
      toTerraform() {
        this.onSynth();
        const attributes = (0, util_1.deepMerge)({
          ...this.synthesizeAttributes(),
          source: this.source,
          version: this.version,
          providers: this._providers?.reduce((a, p) => {
            if (terraform_provider_1.TerraformProvider.isTerraformProvider(p)) {
              return { ...a, [p.terraformResourceType]: p.fqn };
            } else {
              return {
                ...a,
                [`${p.provider.terraformResourceType}.${p.moduleAlias}`]: p.provider.fqn
              };
            }
          }, {}),
          depends_on: this.dependsOn,
          for_each: this.forEach?._getForEachExpression()
        }, this.rawOverrides);
        attributes["//"] = this.constructNodeMetadata;
        return {
          module: {
            [this.friendlyUniqueId]: attributes
          }
        };
      }
      toMetadata() {
        if (!Object.keys(this.rawOverrides).length) {
          return {};
        }
        return {
          overrides: {
            [`module.${this.source}`]: Object.keys(this.rawOverrides)
          }
        };
      }
      validateIfProvidersHaveUniqueKeys() {
        const moduleAliases = this._providers?.map((p) => {
          if (terraform_provider_1.TerraformProvider.isTerraformProvider(p)) {
            return p.terraformResourceType;
          } else {
            return `${p.provider.terraformResourceType}.${p.moduleAlias}`;
          }
        });
        const uniqueModuleAliases = /* @__PURE__ */ new Set();
        moduleAliases?.forEach((alias) => {
          if (uniqueModuleAliases.has(alias)) {
            throw (0, errors_1.modulesWithSameAlias)(alias);
          }
          uniqueModuleAliases.add(alias);
        });
      }
    };
    exports.TerraformModule = TerraformModule;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformModule[_a] = { fqn: "cdktf.TerraformModule", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/complex-computed-list.js
var require_complex_computed_list = __commonJS({
  "node_modules/cdktf/lib/complex-computed-list.js"(exports) {
    "use strict";
    var _a;
    var _b;
    var _c;
    var _d;
    var _e;
    var _f;
    var _g;
    var _h;
    var _j;
    var _k;
    var _l;
    var _m;
    var _o;
    var _p;
    var _q;
    var _r;
    var _s;
    var _t;
    var _u;
    var _v;
    var _w;
    var _x;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.AnyListMap = exports.BooleanListMap = exports.NumberListMap = exports.StringListMap = exports.AnyMapList = exports.BooleanMapList = exports.NumberMapList = exports.StringMapList = exports.MapList = exports.ComplexObject = exports.ComplexMap = exports.AnyListList = exports.BooleanListList = exports.NumberListList = exports.StringListList = exports.BooleanList = exports.ComplexList = exports.ComplexComputedList = exports.AnyMap = exports.BooleanMap = exports.NumberMap = exports.StringMap = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var tokens_1 = require_tokens();
    var _1 = require_lib2();
    var stack_trace_1 = require_stack_trace2();
    var errors_1 = require_errors();
    var ComplexResolvable = class {
      constructor(terraformResource, terraformAttribute) {
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.creationStack = (0, stack_trace_1.captureStackTrace)();
      }
      get fqn() {
        if (!this._fqn) {
          this._fqn = this.computeFqn();
        }
        return this._fqn;
      }
      resolve(_context) {
        return this.fqn;
      }
      toString() {
        return tokens_1.Token.asString(this);
      }
    };
    var ComplexComputedAttribute = class extends ComplexResolvable {
      constructor(terraformResource, terraformAttribute) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
      }
      getStringAttribute(terraformAttribute) {
        return tokens_1.Token.asString(this.interpolationForAttribute(terraformAttribute));
      }
      getNumberAttribute(terraformAttribute) {
        return tokens_1.Token.asNumber(this.interpolationForAttribute(terraformAttribute));
      }
      getListAttribute(terraformAttribute) {
        return tokens_1.Token.asList(this.interpolationForAttribute(terraformAttribute));
      }
      getBooleanAttribute(terraformAttribute) {
        return this.interpolationForAttribute(terraformAttribute);
      }
      getNumberListAttribute(terraformAttribute) {
        return tokens_1.Token.asNumberList(this.interpolationForAttribute(terraformAttribute));
      }
      getStringMapAttribute(terraformAttribute) {
        return tokens_1.Token.asStringMap(this.interpolationForAttribute(terraformAttribute));
      }
      getNumberMapAttribute(terraformAttribute) {
        return tokens_1.Token.asNumberMap(this.interpolationForAttribute(terraformAttribute));
      }
      getBooleanMapAttribute(terraformAttribute) {
        return tokens_1.Token.asBooleanMap(this.interpolationForAttribute(terraformAttribute));
      }
      getAnyMapAttribute(terraformAttribute) {
        return tokens_1.Token.asAnyMap(this.interpolationForAttribute(terraformAttribute));
      }
    };
    var StringMap = class extends ComplexResolvable {
      constructor(terraformResource, terraformAttribute) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
      }
      lookup(key) {
        return tokens_1.Token.asString(this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}["${key}"]`));
      }
      computeFqn() {
        return tokens_1.Token.asString(this.terraformResource.interpolationForAttribute(this.terraformAttribute));
      }
    };
    exports.StringMap = StringMap;
    _a = JSII_RTTI_SYMBOL_1;
    StringMap[_a] = { fqn: "cdktf.StringMap", version: "0.21.0" };
    var NumberMap = class extends ComplexResolvable {
      constructor(terraformResource, terraformAttribute) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
      }
      lookup(key) {
        return tokens_1.Token.asNumber(this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}["${key}"]`));
      }
      computeFqn() {
        return tokens_1.Token.asString(this.terraformResource.interpolationForAttribute(this.terraformAttribute));
      }
    };
    exports.NumberMap = NumberMap;
    _b = JSII_RTTI_SYMBOL_1;
    NumberMap[_b] = { fqn: "cdktf.NumberMap", version: "0.21.0" };
    var BooleanMap = class extends ComplexResolvable {
      constructor(terraformResource, terraformAttribute) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
      }
      lookup(key) {
        return this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}["${key}"]`);
      }
      computeFqn() {
        return tokens_1.Token.asString(this.terraformResource.interpolationForAttribute(this.terraformAttribute));
      }
    };
    exports.BooleanMap = BooleanMap;
    _c = JSII_RTTI_SYMBOL_1;
    BooleanMap[_c] = { fqn: "cdktf.BooleanMap", version: "0.21.0" };
    var AnyMap = class extends ComplexResolvable {
      constructor(terraformResource, terraformAttribute) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
      }
      lookup(key) {
        return tokens_1.Token.asAny(this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}["${key}"]`));
      }
      computeFqn() {
        return tokens_1.Token.asString(this.terraformResource.interpolationForAttribute(this.terraformAttribute));
      }
    };
    exports.AnyMap = AnyMap;
    _d = JSII_RTTI_SYMBOL_1;
    AnyMap[_d] = { fqn: "cdktf.AnyMap", version: "0.21.0" };
    var ComplexComputedList = class extends ComplexComputedAttribute {
      constructor(terraformResource, terraformAttribute, complexComputedListIndex, wrapsSet) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.complexComputedListIndex = complexComputedListIndex;
        this.wrapsSet = wrapsSet;
        throw (0, errors_1.providerVersionMismatch)();
      }
      interpolationForAttribute(property) {
        if (this.wrapsSet) {
          return (0, _1.propertyAccess)(_1.Fn.tolist(this.terraformResource.interpolationForAttribute(this.terraformAttribute)), [this.complexComputedListIndex, property]);
        }
        return this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}[${this.complexComputedListIndex}].${property}`);
      }
      computeFqn() {
        if (this.wrapsSet) {
          return tokens_1.Token.asString((0, _1.propertyAccess)(_1.Fn.tolist(this.terraformResource.interpolationForAttribute(this.terraformAttribute)), [this.complexComputedListIndex]));
        }
        return tokens_1.Token.asString(this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}[${this.complexComputedListIndex}]`));
      }
    };
    exports.ComplexComputedList = ComplexComputedList;
    _e = JSII_RTTI_SYMBOL_1;
    ComplexComputedList[_e] = { fqn: "cdktf.ComplexComputedList", version: "0.21.0" };
    var ComplexList = class extends ComplexResolvable {
      constructor(terraformResource, terraformAttribute, wrapsSet) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.wrapsSet = wrapsSet;
      }
      computeFqn() {
        if (this.wrapsSet) {
          return tokens_1.Token.asString(_1.Fn.tolist(this.terraformResource.interpolationForAttribute(this.terraformAttribute)));
        } else {
          return tokens_1.Token.asString(this.terraformResource.interpolationForAttribute(this.terraformAttribute));
        }
      }
      /**
       * Creating an iterator for this complex list.
       * The list will be converted into a map with the mapKeyAttributeName as the key.
       * @param mapKeyAttributeName
       * @returns
       */
      allWithMapKey(mapKeyAttributeName) {
        return _1.TerraformIterator.fromComplexList(tokens_1.Token.asAny(this.computeFqn()), mapKeyAttributeName);
      }
    };
    exports.ComplexList = ComplexList;
    _f = JSII_RTTI_SYMBOL_1;
    ComplexList[_f] = { fqn: "cdktf.ComplexList", version: "0.21.0" };
    var BooleanList = class extends ComplexList {
      constructor(terraformResource, terraformAttribute, wrapsSet) {
        super(terraformResource, terraformAttribute, wrapsSet);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.wrapsSet = wrapsSet;
      }
      get(index) {
        return _1.Fn.element(this, index);
      }
    };
    exports.BooleanList = BooleanList;
    _g = JSII_RTTI_SYMBOL_1;
    BooleanList[_g] = { fqn: "cdktf.BooleanList", version: "0.21.0" };
    var StringListList = class extends ComplexList {
      constructor(terraformResource, terraformAttribute, wrapsSet) {
        super(terraformResource, terraformAttribute, wrapsSet);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.wrapsSet = wrapsSet;
      }
      get(index) {
        return tokens_1.Token.asList(this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}[${index}]`));
      }
    };
    exports.StringListList = StringListList;
    _h = JSII_RTTI_SYMBOL_1;
    StringListList[_h] = { fqn: "cdktf.StringListList", version: "0.21.0" };
    var NumberListList = class extends ComplexList {
      constructor(terraformResource, terraformAttribute, wrapsSet) {
        super(terraformResource, terraformAttribute, wrapsSet);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.wrapsSet = wrapsSet;
      }
      get(index) {
        return tokens_1.Token.asNumberList(this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}[${index}]`));
      }
    };
    exports.NumberListList = NumberListList;
    _j = JSII_RTTI_SYMBOL_1;
    NumberListList[_j] = { fqn: "cdktf.NumberListList", version: "0.21.0" };
    var BooleanListList = class extends ComplexList {
      constructor(terraformResource, terraformAttribute, wrapsSet) {
        super(terraformResource, terraformAttribute, wrapsSet);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.wrapsSet = wrapsSet;
      }
      get(index) {
        return this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}[${index}]`);
      }
    };
    exports.BooleanListList = BooleanListList;
    _k = JSII_RTTI_SYMBOL_1;
    BooleanListList[_k] = { fqn: "cdktf.BooleanListList", version: "0.21.0" };
    var AnyListList = class extends ComplexList {
      constructor(terraformResource, terraformAttribute, wrapsSet) {
        super(terraformResource, terraformAttribute, wrapsSet);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.wrapsSet = wrapsSet;
      }
      get(index) {
        return this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}[${index}]`);
      }
    };
    exports.AnyListList = AnyListList;
    _l = JSII_RTTI_SYMBOL_1;
    AnyListList[_l] = { fqn: "cdktf.AnyListList", version: "0.21.0" };
    var ComplexMap = class extends ComplexResolvable {
      constructor(terraformResource, terraformAttribute) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
      }
      computeFqn() {
        return tokens_1.Token.asString(this.terraformResource.interpolationForAttribute(this.terraformAttribute));
      }
      interpolationForAttribute(property) {
        return (0, _1.propertyAccess)(this.terraformResource.interpolationForAttribute(this.terraformAttribute), [property]);
      }
    };
    exports.ComplexMap = ComplexMap;
    _m = JSII_RTTI_SYMBOL_1;
    ComplexMap[_m] = { fqn: "cdktf.ComplexMap", version: "0.21.0" };
    var ComplexObject = class extends ComplexComputedAttribute {
      /**
       * @param terraformResource
       * @param terraformAttribute
       * @param complexObjectIndex the index of the complex object in a list
       * @param complexObjectIsFromSet set to true if this item is from inside a set and needs tolist() for accessing it
       *                               set to "0" for single list items
       */
      constructor(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.complexObjectIsFromSet = complexObjectIsFromSet;
        this.complexObjectIndex = complexObjectIndex;
      }
      interpolationForAttribute(property) {
        if (this.complexObjectIsFromSet) {
          return (0, _1.propertyAccess)(_1.Fn.tolist(this.terraformResource.interpolationForAttribute(this.terraformAttribute)), [this.complexObjectIndex, property]);
        }
        return this.terraformResource.interpolationForAttribute(this.complexObjectIndex !== void 0 ? `${this.terraformAttribute}[${this.complexObjectIndex}].${property}` : `${this.terraformAttribute}.${property}`);
      }
      interpolationAsList() {
        return this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}.*`);
      }
      computeFqn() {
        if (this.complexObjectIsFromSet) {
          return tokens_1.Token.asString((0, _1.propertyAccess)(_1.Fn.tolist(this.terraformResource.interpolationForAttribute(this.terraformAttribute)), [this.complexObjectIndex]));
        }
        return tokens_1.Token.asString(this.terraformResource.interpolationForAttribute(this.complexObjectIndex !== void 0 ? `${this.terraformAttribute}[${this.complexObjectIndex}]` : this.terraformAttribute));
      }
    };
    exports.ComplexObject = ComplexObject;
    _o = JSII_RTTI_SYMBOL_1;
    ComplexObject[_o] = { fqn: "cdktf.ComplexObject", version: "0.21.0" };
    var MapList = class extends ComplexResolvable {
      constructor(terraformResource, terraformAttribute, wrapsSet) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.wrapsSet = wrapsSet;
      }
      computeFqn() {
        if (this.wrapsSet) {
          return tokens_1.Token.asString(_1.Fn.tolist(this.terraformResource.interpolationForAttribute(this.terraformAttribute)));
        } else {
          return tokens_1.Token.asString(this.terraformResource.interpolationForAttribute(this.terraformAttribute));
        }
      }
      interpolationForAttribute(property) {
        if (this.wrapsSet) {
          const matches = property.match(/\[([^\]]*)\]/);
          if (matches) {
            return (0, _1.propertyAccess)(_1.Fn.tolist(this.terraformResource.interpolationForAttribute(this.terraformAttribute)), [matches[1], property]);
          }
        }
        return this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}${property}`);
      }
    };
    exports.MapList = MapList;
    _p = JSII_RTTI_SYMBOL_1;
    MapList[_p] = { fqn: "cdktf.MapList", version: "0.21.0" };
    var StringMapList = class extends MapList {
      constructor(terraformResource, terraformAttribute, wrapsSet) {
        super(terraformResource, terraformAttribute, wrapsSet);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.wrapsSet = wrapsSet;
      }
      get(index) {
        return new StringMap(this, `[${index}]`);
      }
    };
    exports.StringMapList = StringMapList;
    _q = JSII_RTTI_SYMBOL_1;
    StringMapList[_q] = { fqn: "cdktf.StringMapList", version: "0.21.0" };
    var NumberMapList = class extends MapList {
      constructor(terraformResource, terraformAttribute, wrapsSet) {
        super(terraformResource, terraformAttribute, wrapsSet);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.wrapsSet = wrapsSet;
      }
      get(index) {
        return new NumberMap(this, `[${index}]`);
      }
    };
    exports.NumberMapList = NumberMapList;
    _r = JSII_RTTI_SYMBOL_1;
    NumberMapList[_r] = { fqn: "cdktf.NumberMapList", version: "0.21.0" };
    var BooleanMapList = class extends MapList {
      constructor(terraformResource, terraformAttribute, wrapsSet) {
        super(terraformResource, terraformAttribute, wrapsSet);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.wrapsSet = wrapsSet;
      }
      get(index) {
        return new BooleanMap(this, `[${index}]`);
      }
    };
    exports.BooleanMapList = BooleanMapList;
    _s = JSII_RTTI_SYMBOL_1;
    BooleanMapList[_s] = { fqn: "cdktf.BooleanMapList", version: "0.21.0" };
    var AnyMapList = class extends MapList {
      constructor(terraformResource, terraformAttribute, wrapsSet) {
        super(terraformResource, terraformAttribute, wrapsSet);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
        this.wrapsSet = wrapsSet;
      }
      get(index) {
        return new AnyMap(this, `[${index}]`);
      }
    };
    exports.AnyMapList = AnyMapList;
    _t = JSII_RTTI_SYMBOL_1;
    AnyMapList[_t] = { fqn: "cdktf.AnyMapList", version: "0.21.0" };
    var StringListMap = class extends ComplexMap {
      constructor(terraformResource, terraformAttribute) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
      }
      get(key) {
        return tokens_1.Token.asList(this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}[${key}]`));
      }
    };
    exports.StringListMap = StringListMap;
    _u = JSII_RTTI_SYMBOL_1;
    StringListMap[_u] = { fqn: "cdktf.StringListMap", version: "0.21.0" };
    var NumberListMap = class extends ComplexMap {
      constructor(terraformResource, terraformAttribute) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
      }
      get(key) {
        return tokens_1.Token.asNumberList(this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}[${key}]`));
      }
    };
    exports.NumberListMap = NumberListMap;
    _v = JSII_RTTI_SYMBOL_1;
    NumberListMap[_v] = { fqn: "cdktf.NumberListMap", version: "0.21.0" };
    var BooleanListMap = class extends ComplexMap {
      constructor(terraformResource, terraformAttribute) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
      }
      get(key) {
        return this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}[${key}]`);
      }
    };
    exports.BooleanListMap = BooleanListMap;
    _w = JSII_RTTI_SYMBOL_1;
    BooleanListMap[_w] = { fqn: "cdktf.BooleanListMap", version: "0.21.0" };
    var AnyListMap = class extends ComplexMap {
      constructor(terraformResource, terraformAttribute) {
        super(terraformResource, terraformAttribute);
        this.terraformResource = terraformResource;
        this.terraformAttribute = terraformAttribute;
      }
      get(key) {
        return this.terraformResource.interpolationForAttribute(`${this.terraformAttribute}[${key}]`);
      }
    };
    exports.AnyListMap = AnyListMap;
    _x = JSII_RTTI_SYMBOL_1;
    AnyListMap[_x] = { fqn: "cdktf.AnyListMap", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/resource.js
var require_resource = __commonJS({
  "node_modules/cdktf/lib/resource.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Resource = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var constructs_1 = require_lib();
    var terraform_stack_1 = require_terraform_stack();
    var Resource = class extends constructs_1.Construct {
      constructor(scope, id) {
        super(scope, id);
        this.stack = terraform_stack_1.TerraformStack.of(this);
      }
    };
    exports.Resource = Resource;
    _a = JSII_RTTI_SYMBOL_1;
    Resource[_a] = { fqn: "cdktf.Resource", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/features.js
var require_features = __commonJS({
  "node_modules/cdktf/lib/features.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.FUTURE_FLAGS = void 0;
    exports.FUTURE_FLAGS = {};
  }
});

// node_modules/cdktf/lib/testing/matchers.js
var require_matchers = __commonJS({
  "node_modules/cdktf/lib/testing/matchers.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.AssertionReturn = void 0;
    exports.returnMatcherToJest = returnMatcherToJest;
    exports.asymetricDeepEqualIgnoringObjectCasing = asymetricDeepEqualIgnoringObjectCasing;
    exports.getToHaveDataSourceWithProperties = getToHaveDataSourceWithProperties;
    exports.getToHaveResourceWithProperties = getToHaveResourceWithProperties;
    exports.getToHaveProviderWithProperties = getToHaveProviderWithProperties;
    exports.toBeValidTerraform = toBeValidTerraform;
    exports.toPlanSuccessfully = toPlanSuccessfully;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var fs = __require("fs");
    var path = __require("path");
    var child_process_1 = __require("child_process");
    var util_1 = require_util();
    var errors_1 = require_errors();
    var AssertionReturn = class {
      /**
       * Create an AssertionReturn
       * @param message - String message containing information about the result of the assertion
       * @param pass - Boolean pass denoting the success of the assertion
       */
      constructor(message, pass) {
        this.message = message;
        this.pass = pass;
      }
    };
    exports.AssertionReturn = AssertionReturn;
    _a = JSII_RTTI_SYMBOL_1;
    AssertionReturn[_a] = { fqn: "cdktf.testingMatchers.AssertionReturn", version: "0.21.0" };
    function returnMatcherToJest(toReturn) {
      return {
        message: () => toReturn.message,
        pass: toReturn.pass
      };
    }
    function asymetricDeepEqualIgnoringObjectCasing(expected, received) {
      switch (typeof expected) {
        case "object":
          if (Array.isArray(expected)) {
            return Array.isArray(received) && expected.length === received.length && expected.every((item, index) => asymetricDeepEqualIgnoringObjectCasing(item, received[index]));
          }
          if (expected === null && received === null) {
            return true;
          }
          if (expected === void 0 && received === void 0) {
            return true;
          }
          if (expected === null || received === null) {
            return false;
          }
          return Object.keys(expected).every((key) => {
            if (received[key] !== void 0) {
              return asymetricDeepEqualIgnoringObjectCasing(expected[key], received[key]);
            }
            if (received[(0, util_1.snakeCase)(key)] !== void 0) {
              return asymetricDeepEqualIgnoringObjectCasing(expected[key], received[(0, util_1.snakeCase)(key)]);
            }
            return false;
          });
        default:
          return expected === received;
      }
    }
    var defaultPassEvaluation = (items, assertedProperties) => {
      return Object.values(items).some((item) => asymetricDeepEqualIgnoringObjectCasing(assertedProperties, item));
    };
    function isAsymmetric(obj) {
      return !!obj && typeof obj === "object" && "asymmetricMatch" in obj;
    }
    function jestAsymetricMatcherStringifyReplacer(_key, value) {
      return isAsymmetric(value) ? `expect.${value.toString()}` : value;
    }
    function getAssertElementWithProperties(functionName, customPassEvaluation) {
      const passEvaluation = customPassEvaluation || defaultPassEvaluation;
      return function getAssertElementWithProperties2(type, received, itemType, properties = {}) {
        let stack;
        const stackContent = fs.existsSync(received) ? fs.readFileSync(received, "utf8") : received;
        try {
          stack = JSON.parse(stackContent);
        } catch (e) {
          throw (0, errors_1.invalidStack)(functionName, stackContent);
        }
        const items = Object.values(Object.entries(stack[type] || {}).find(
          // find the object with a matching name
          ([type2, _values]) => type2 === itemType.tfResourceType
        )?.[1] || {}) || [];
        const pass = passEvaluation(items, properties);
        if (pass) {
          return new AssertionReturn(`Expected no ${itemType.tfResourceType} with properties ${JSON.stringify(properties, jestAsymetricMatcherStringifyReplacer)} to be present in synthesized stack.
Found ${items.length === 0 ? "no" : items.length} ${itemType.tfResourceType} resources instead${items.length > 0 ? ":\n" + JSON.stringify(items, null, 2) : ""}`, pass);
        } else {
          return new AssertionReturn(`Expected ${itemType.tfResourceType} with properties ${JSON.stringify(properties, jestAsymetricMatcherStringifyReplacer)} to be present in synthesized stack.
Found ${items.length === 0 ? "no" : items.length} ${itemType.tfResourceType} resources instead${items.length > 0 ? ":\n" + JSON.stringify(items, null, 2) : ""}`, pass);
        }
      };
    }
    function getToHaveDataSourceWithProperties(customPassEvaluation) {
      return function toHaveDataSourceWithProperties(received, resourceType, properties = {}) {
        return getAssertElementWithProperties("toHaveDataSourceWithProperties", customPassEvaluation)("data", received, resourceType, properties);
      };
    }
    function getToHaveResourceWithProperties(customPassEvaluation) {
      return function toHaveResourceWithProperties(received, resourceType, properties = {}) {
        return getAssertElementWithProperties("toHaveResourceWithProperties", customPassEvaluation)("resource", received, resourceType, properties);
      };
    }
    var isExecSpawnError = (err) => "output" in err && Array.isArray(err.output) && err.output.some((buf) => Buffer.isBuffer(buf));
    var withProcessOutput = (message, err) => {
      let output = "";
      if (isExecSpawnError(err)) {
        output = err.output?.map((buffer) => buffer?.toString("utf8")).filter(Boolean).join("\n") ?? "";
      }
      const appendix = output.length ? `. Output: ${output}` : "";
      return `${message}: ${err}${appendix}.`;
    };
    function getToHaveProviderWithProperties(customPassEvaluation) {
      return function toHaveProviderWithProperties(received, resourceType, properties = {}) {
        return getAssertElementWithProperties("toHaveProviderWithProperties", customPassEvaluation)("provider", received, resourceType, properties);
      };
    }
    function toBeValidTerraform(received) {
      try {
        if (!fs.statSync(received).isDirectory()) {
          throw (0, errors_1.matchersPathIsNotDirectory)("toBeValidTerraform");
        }
      } catch (e) {
        return new AssertionReturn(`Expected subject to be a terraform directory: ${e}`, false);
      }
      try {
        const manifest = JSON.parse(fs.readFileSync(path.resolve(received, "manifest.json"), "utf8"));
        const stacks = Object.entries(manifest.stacks);
        stacks.forEach(([name, stack]) => {
          const opts = {
            cwd: path.resolve(received, stack.workingDirectory),
            env: process.env,
            stdio: "pipe"
          };
          (0, child_process_1.execSync)(`${util_1.terraformBinaryName} init`, opts);
          const out = (0, child_process_1.execSync)(`${util_1.terraformBinaryName} validate -json`, opts);
          const result = JSON.parse(out.toString());
          if (!result.valid) {
            throw (0, errors_1.matchersFoundErrorsInStack)(result.error_count, name, result.diagnostics.join("\n"));
          }
        });
        return new AssertionReturn(`Expected subject not to be a valid terraform stack`, true);
      } catch (e) {
        return new AssertionReturn(withProcessOutput(`Expected subject to be a valid terraform stack`, e), false);
      }
    }
    function toPlanSuccessfully(received) {
      try {
        if (!fs.statSync(received).isDirectory()) {
          throw (0, errors_1.matchersPathIsNotDirectory)("toPlanSuccessfully");
        }
      } catch (e) {
        return new AssertionReturn(`Expected subject to be a terraform directory: ${e}`, false);
      }
      try {
        const manifest = JSON.parse(fs.readFileSync(path.resolve(received, "manifest.json"), "utf8"));
        const stacks = Object.entries(manifest.stacks);
        stacks.forEach(([, stack]) => {
          const opts = {
            cwd: path.resolve(received, stack.workingDirectory),
            env: process.env,
            stdio: "ignore"
          };
          (0, child_process_1.execSync)(`${util_1.terraformBinaryName} init`, opts);
          (0, child_process_1.execSync)(`${util_1.terraformBinaryName} plan -input=false -lock=false `, opts);
        });
        return new AssertionReturn(`Expected subject not to plan successfully`, true);
      } catch (e) {
        return new AssertionReturn(withProcessOutput(`Expected subject to plan successfully`, e), false);
      }
    }
  }
});

// node_modules/cdktf/lib/testing/adapters/jest.js
var require_jest = __commonJS({
  "node_modules/cdktf/lib/testing/adapters/jest.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.setupJest = setupJest;
    var errors_1 = require_errors();
    var matchers_1 = require_matchers();
    var matchers_2 = require_matchers();
    function jestPassEvaluation(items, assertedProperties) {
      if (Object.entries(assertedProperties).length === 0) {
        return items.length > 0;
      } else {
        if (global.expect) {
          const expect = global.expect;
          return expect.arrayContaining([expect.objectContaining(assertedProperties)]).asymmetricMatch(items);
        } else {
          throw (0, errors_1.jestNotInstantiated)();
        }
      }
    }
    function setupJest() {
      if (!("expect" in global)) {
        throw (0, errors_1.expectNotGloballyAccessible)();
      }
      const expect = global.expect;
      expect.extend({
        toHaveResource(received, resourceConstructor) {
          return (0, matchers_2.returnMatcherToJest)((0, matchers_2.getToHaveResourceWithProperties)(jestPassEvaluation)(received, resourceConstructor, {}));
        },
        toHaveResourceWithProperties(received, resourceConstructor, properties) {
          return (0, matchers_2.returnMatcherToJest)((0, matchers_2.getToHaveResourceWithProperties)(jestPassEvaluation)(received, resourceConstructor, properties));
        },
        toHaveDataSource(received, dataSourceConstructor) {
          return (0, matchers_2.returnMatcherToJest)((0, matchers_1.getToHaveDataSourceWithProperties)(jestPassEvaluation)(received, dataSourceConstructor, {}));
        },
        toHaveDataSourceWithProperties(received, dataSourceConstructor, properties) {
          return (0, matchers_2.returnMatcherToJest)((0, matchers_1.getToHaveDataSourceWithProperties)(jestPassEvaluation)(received, dataSourceConstructor, properties));
        },
        toHaveProvider(received, providerConstructor) {
          return (0, matchers_2.returnMatcherToJest)((0, matchers_2.getToHaveProviderWithProperties)(jestPassEvaluation)(received, providerConstructor, {}));
        },
        toHaveProviderWithProperties(received, providerConstructor, properties) {
          return (0, matchers_2.returnMatcherToJest)((0, matchers_2.getToHaveProviderWithProperties)(jestPassEvaluation)(received, providerConstructor, properties));
        },
        toBeValidTerraform(received) {
          return (0, matchers_2.returnMatcherToJest)((0, matchers_1.toBeValidTerraform)(received));
        },
        toPlanSuccessfully(received) {
          return (0, matchers_2.returnMatcherToJest)((0, matchers_1.toPlanSuccessfully)(received));
        }
      });
    }
  }
});

// node_modules/cdktf/lib/testing/index.js
var require_testing = __commonJS({
  "node_modules/cdktf/lib/testing/index.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Testing = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var fs = __require("fs");
    var path = __require("path");
    var os = __require("os");
    var stringify = require_json_stable_stringify();
    var lib_1 = require_lib2();
    var manifest_1 = require_manifest();
    var features_1 = require_features();
    var jest_1 = require_jest();
    var synthesizer_1 = require_synthesizer();
    var matchers_1 = require_matchers();
    var DefaultTestingAppConfig = {
      stackTraces: false,
      stubVersion: true,
      enableFutureFlags: true,
      fakeCdktfJsonPath: false
    };
    var Testing2 = class _Testing {
      /**
       * Returns an app for testing with the following properties:
       * - Output directory is a temp dir.
       */
      static app(options = {}) {
        const appConfig = { ...DefaultTestingAppConfig, ...options };
        if (!appConfig.outdir) {
          appConfig.outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf.outdir."));
        }
        const app = new lib_1.App({
          outdir: appConfig.outdir,
          stackTraces: appConfig.stackTraces,
          context: options.context
        });
        if (appConfig.stubVersion) {
          this.stubVersion(app);
        }
        if (appConfig.enableFutureFlags) {
          this.enableFutureFlags(app);
        }
        if (appConfig.fakeCdktfJsonPath) {
          this.fakeCdktfJsonPath(app);
        }
        return app;
      }
      static stubVersion(app) {
        app.node.setContext("cdktfVersion", "stubbed");
        app.manifest.version = "stubbed";
        return app;
      }
      static fakeCdktfJsonPath(app) {
        app.node.setContext("cdktfJsonPath", `${process.cwd()}/cdktf.json`);
        app.node.setContext("cdktfRelativeModules", ["./"]);
        return app;
      }
      static enableFutureFlags(app) {
        const node = app.node;
        Object.entries(features_1.FUTURE_FLAGS).forEach(([key, value]) => node.setContext(key, value));
        return app;
      }
      static synthScope(fn) {
        const stack = new lib_1.TerraformStack(_Testing.app(), "stack");
        fn(stack);
        return _Testing.synth(stack);
      }
      /**
       * Returns the Terraform synthesized JSON.
       */
      static synth(stack, runValidations = false) {
        (0, synthesizer_1.invokeAspects)(stack);
        if (runValidations) {
          stack.runAllValidations();
        }
        const tfConfig = stack.toTerraform();
        function removeMetadata(item) {
          if (item !== null && typeof item === "object") {
            if (Array.isArray(item)) {
              return item.map(removeMetadata);
            }
            const cleanedItem = Object.entries(item).sort(([a], [b]) => a.localeCompare(b)).reduce((acc, [key, value]) => ({ ...acc, [key]: removeMetadata(value) }), {});
            delete cleanedItem["//"];
            return cleanedItem;
          }
          return item;
        }
        const cleaned = removeMetadata(tfConfig);
        return stringify(cleaned, { space: 2 });
      }
      /**
       * Returns the Terraform synthesized JSON.
       */
      static synthHcl(stack, runValidations = false, returnMetadata = false) {
        (0, synthesizer_1.invokeAspects)(stack);
        if (runValidations) {
          stack.runAllValidations();
        }
        const config = stack.toHclTerraform();
        if (returnMetadata)
          return config.metadata;
        return config.hcl;
      }
      static fullSynth(stack) {
        const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf.outdir."));
        const manifest = new manifest_1.Manifest("stubbed", outdir, false);
        stack.synthesizer.synthesize({
          outdir,
          manifest
        });
        manifest.writeToFile();
        return outdir;
      }
      static renderConstructTree(construct) {
        return render(construct, 0, false);
        function render(construct2, level, isLast) {
          let prefix = "";
          if (level > 0) {
            const spaces = " ".repeat((level - 1) * 4);
            const symbol = isLast ? "\u2514" : "\u251C";
            prefix = `${spaces}${symbol}\u2500\u2500 `;
          }
          const name = lib_1.App.isApp(construct2) ? "App" : `${construct2.node.id} (${construct2.constructor.name})`;
          return `${prefix}${name}
${construct2.node.children.map((child, idx, arr) => {
            const isLast2 = idx === arr.length - 1;
            return render(child, level + 1, isLast2);
          }).join("")}`;
        }
      }
      static toHaveDataSourceWithProperties(received, resourceType, properties = {}) {
        return (0, matchers_1.getToHaveDataSourceWithProperties)()(received, { tfResourceType: resourceType }, properties).pass;
      }
      static toHaveDataSource(received, resourceType) {
        return (0, matchers_1.getToHaveDataSourceWithProperties)()(received, { tfResourceType: resourceType }, {}).pass;
      }
      static toHaveResourceWithProperties(received, resourceType, properties = {}) {
        return (0, matchers_1.getToHaveResourceWithProperties)()(received, { tfResourceType: resourceType }, properties).pass;
      }
      static toHaveResource(received, resourceType) {
        return (0, matchers_1.getToHaveResourceWithProperties)()(received, { tfResourceType: resourceType }, {}).pass;
      }
      static toHaveProviderWithProperties(received, resourceType, properties = {}) {
        return (0, matchers_1.getToHaveProviderWithProperties)()(received, { tfResourceType: resourceType }, properties).pass;
      }
      static toHaveProvider(received, resourceType) {
        return (0, matchers_1.getToHaveProviderWithProperties)()(received, { tfResourceType: resourceType }, {}).pass;
      }
      static toBeValidTerraform(received) {
        return (0, matchers_1.toBeValidTerraform)(received).pass;
      }
      static setupJest() {
        (0, jest_1.setupJest)();
      }
    };
    exports.Testing = Testing2;
    _a = JSII_RTTI_SYMBOL_1;
    Testing2[_a] = { fqn: "cdktf.Testing", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/backends/s3-backend.js
var require_s3_backend = __commonJS({
  "node_modules/cdktf/lib/backends/s3-backend.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DataTerraformRemoteStateS3 = exports.S3Backend = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_backend_1 = require_terraform_backend();
    var util_1 = require_util();
    var terraform_remote_state_1 = require_terraform_remote_state();
    var S3Backend2 = class extends terraform_backend_1.TerraformBackend {
      constructor(scope, props) {
        super(scope, "backend", "s3");
        this.props = props;
      }
      synthesizeAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      synthesizeHclAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      getRemoteStateDataSource(scope, name, _fromStack) {
        return new DataTerraformRemoteStateS3(scope, name, {
          ...this.props,
          workspace: "${terraform.workspace}"
        });
      }
    };
    exports.S3Backend = S3Backend2;
    _a = JSII_RTTI_SYMBOL_1;
    S3Backend2[_a] = { fqn: "cdktf.S3Backend", version: "0.21.0" };
    var DataTerraformRemoteStateS3 = class extends terraform_remote_state_1.TerraformRemoteState {
      constructor(scope, id, config) {
        super(scope, id, "s3", config);
      }
    };
    exports.DataTerraformRemoteStateS3 = DataTerraformRemoteStateS3;
    _b = JSII_RTTI_SYMBOL_1;
    DataTerraformRemoteStateS3[_b] = { fqn: "cdktf.DataTerraformRemoteStateS3", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/backends/cloud-backend.js
var require_cloud_backend = __commonJS({
  "node_modules/cdktf/lib/backends/cloud-backend.js"(exports) {
    "use strict";
    var _a;
    var _b;
    var _c;
    var _d;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TaggedCloudWorkspaces = exports.NamedCloudWorkspace = exports.CloudWorkspace = exports.CloudBackend = void 0;
    exports.getHostNameType = getHostNameType;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var util_1 = require_util();
    var remote_backend_1 = require_remote_backend();
    var terraform_backend_1 = require_terraform_backend();
    var validate_terraform_version_1 = require_validate_terraform_version();
    var errors_1 = require_errors();
    function getHostNameType(hostname) {
      if (!hostname)
        return "tfc";
      return hostname.startsWith("app.terraform.io") ? "tfc" : "tfe";
    }
    var CloudBackend = class extends terraform_backend_1.TerraformBackend {
      constructor(scope, props) {
        super(scope, "backend", "cloud");
        this.props = props;
        this.node.addValidation(new validate_terraform_version_1.ValidateTerraformVersion(">=1.1", `The cloud block is only supported for Terraform >=1.1. Please upgrade your Terraform version.`));
      }
      toHclTerraform() {
        return {
          terraform: {
            cloud: (0, util_1.deepMerge)(this.synthesizeHclAttributes(), this.rawOverrides)
          }
        };
      }
      /**
       * Adds this resource to the terraform JSON output.
       */
      toTerraform() {
        return {
          terraform: {
            cloud: (0, util_1.deepMerge)(this.synthesizeAttributes(), this.rawOverrides)
          }
        };
      }
      toMetadata() {
        const cloud = getHostNameType(this.props.hostname);
        return { ...super.toMetadata(), cloud };
      }
      synthesizeHclAttributes() {
        return {
          ...(0, util_1.keysToSnakeCase)(this.props),
          workspaces: {
            value: this.props.workspaces.toHclTerraform(),
            isBlock: true,
            type: "map",
            storageClassType: "stringmap"
          }
        };
      }
      synthesizeAttributes() {
        return (0, util_1.keysToSnakeCase)({
          ...this.props,
          workspaces: this.props.workspaces.toTerraform()
        });
      }
      getRemoteStateDataSource(scope, name, _fromStack) {
        if ("name" in this.props.workspaces) {
          return new remote_backend_1.DataTerraformRemoteState(scope, name, {
            organization: this.props.organization,
            workspaces: { name: this.props.workspaces.name },
            token: this.props.token,
            hostname: this.props.hostname
          });
        }
        throw (0, errors_1.cloudBackendWorkspaceIsNotDefinedByName)();
      }
    };
    exports.CloudBackend = CloudBackend;
    _a = JSII_RTTI_SYMBOL_1;
    CloudBackend[_a] = { fqn: "cdktf.CloudBackend", version: "0.21.0" };
    var CloudWorkspace = class {
    };
    exports.CloudWorkspace = CloudWorkspace;
    _b = JSII_RTTI_SYMBOL_1;
    CloudWorkspace[_b] = { fqn: "cdktf.CloudWorkspace", version: "0.21.0" };
    var NamedCloudWorkspace = class extends CloudWorkspace {
      constructor(name, project) {
        super();
        this.name = name;
        this.project = project;
      }
      toHclTerraform() {
        return {
          name: {
            value: this.name,
            type: "simple",
            storageClassType: "string"
          }
        };
      }
      toTerraform() {
        return {
          name: this.name,
          project: this.project
        };
      }
    };
    exports.NamedCloudWorkspace = NamedCloudWorkspace;
    _c = JSII_RTTI_SYMBOL_1;
    NamedCloudWorkspace[_c] = { fqn: "cdktf.NamedCloudWorkspace", version: "0.21.0" };
    var TaggedCloudWorkspaces = class extends CloudWorkspace {
      constructor(tags, project) {
        super();
        this.tags = tags;
        this.project = project;
      }
      toHclTerraform() {
        return {
          tags: {
            value: this.tags,
            type: "list",
            storageClassType: "stringList"
          }
        };
      }
      toTerraform() {
        return {
          tags: this.tags,
          project: this.project
        };
      }
    };
    exports.TaggedCloudWorkspaces = TaggedCloudWorkspaces;
    _d = JSII_RTTI_SYMBOL_1;
    TaggedCloudWorkspaces[_d] = { fqn: "cdktf.TaggedCloudWorkspaces", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/backends/remote-backend.js
var require_remote_backend = __commonJS({
  "node_modules/cdktf/lib/backends/remote-backend.js"(exports) {
    "use strict";
    var _a;
    var _b;
    var _c;
    var _d;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.PrefixedRemoteWorkspaces = exports.NamedRemoteWorkspace = exports.DataTerraformRemoteState = exports.RemoteBackend = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_backend_1 = require_terraform_backend();
    var util_1 = require_util();
    var terraform_remote_state_1 = require_terraform_remote_state();
    var cloud_backend_1 = require_cloud_backend();
    var RemoteBackend = class extends terraform_backend_1.TerraformBackend {
      constructor(scope, props) {
        super(scope, "backend", "remote");
        this.props = props;
      }
      synthesizeAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      synthesizeHclAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      toMetadata() {
        const cloud = (0, cloud_backend_1.getHostNameType)(this.props.hostname);
        return { ...super.toMetadata(), cloud };
      }
      getRemoteStateDataSource(scope, name, _fromStack) {
        return new DataTerraformRemoteState(scope, name, {
          ...this.props
        });
      }
    };
    exports.RemoteBackend = RemoteBackend;
    _a = JSII_RTTI_SYMBOL_1;
    RemoteBackend[_a] = { fqn: "cdktf.RemoteBackend", version: "0.21.0" };
    var DataTerraformRemoteState = class extends terraform_remote_state_1.TerraformRemoteState {
      constructor(scope, id, config) {
        super(scope, id, "remote", config);
      }
    };
    exports.DataTerraformRemoteState = DataTerraformRemoteState;
    _b = JSII_RTTI_SYMBOL_1;
    DataTerraformRemoteState[_b] = { fqn: "cdktf.DataTerraformRemoteState", version: "0.21.0" };
    var NamedRemoteWorkspace = class {
      constructor(name) {
        this.name = name;
      }
    };
    exports.NamedRemoteWorkspace = NamedRemoteWorkspace;
    _c = JSII_RTTI_SYMBOL_1;
    NamedRemoteWorkspace[_c] = { fqn: "cdktf.NamedRemoteWorkspace", version: "0.21.0" };
    var PrefixedRemoteWorkspaces = class {
      constructor(prefix) {
        this.prefix = prefix;
      }
    };
    exports.PrefixedRemoteWorkspaces = PrefixedRemoteWorkspaces;
    _d = JSII_RTTI_SYMBOL_1;
    PrefixedRemoteWorkspaces[_d] = { fqn: "cdktf.PrefixedRemoteWorkspaces", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/backends/azurerm-backend.js
var require_azurerm_backend = __commonJS({
  "node_modules/cdktf/lib/backends/azurerm-backend.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DataTerraformRemoteStateAzurerm = exports.AzurermBackend = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_backend_1 = require_terraform_backend();
    var util_1 = require_util();
    var terraform_remote_state_1 = require_terraform_remote_state();
    var AzurermBackend = class extends terraform_backend_1.TerraformBackend {
      constructor(scope, props) {
        super(scope, "backend", "azurerm");
        this.props = props;
      }
      synthesizeAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      synthesizeHclAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      getRemoteStateDataSource(scope, name, _fromStack) {
        return new DataTerraformRemoteStateAzurerm(scope, name, {
          ...this.props,
          workspace: "${terraform.workspace}"
        });
      }
    };
    exports.AzurermBackend = AzurermBackend;
    _a = JSII_RTTI_SYMBOL_1;
    AzurermBackend[_a] = { fqn: "cdktf.AzurermBackend", version: "0.21.0" };
    var DataTerraformRemoteStateAzurerm = class extends terraform_remote_state_1.TerraformRemoteState {
      constructor(scope, id, config) {
        super(scope, id, "azurerm", config);
      }
    };
    exports.DataTerraformRemoteStateAzurerm = DataTerraformRemoteStateAzurerm;
    _b = JSII_RTTI_SYMBOL_1;
    DataTerraformRemoteStateAzurerm[_b] = { fqn: "cdktf.DataTerraformRemoteStateAzurerm", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/backends/consul-backend.js
var require_consul_backend = __commonJS({
  "node_modules/cdktf/lib/backends/consul-backend.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DataTerraformRemoteStateConsul = exports.ConsulBackend = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_backend_1 = require_terraform_backend();
    var util_1 = require_util();
    var terraform_remote_state_1 = require_terraform_remote_state();
    var ConsulBackend = class extends terraform_backend_1.TerraformBackend {
      constructor(scope, props) {
        super(scope, "backend", "consul");
        this.props = props;
      }
      synthesizeHclAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      synthesizeAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      getRemoteStateDataSource(scope, name, _fromStack) {
        return new DataTerraformRemoteStateConsul(scope, name, {
          ...this.props,
          workspace: "${terraform.workspace}"
        });
      }
    };
    exports.ConsulBackend = ConsulBackend;
    _a = JSII_RTTI_SYMBOL_1;
    ConsulBackend[_a] = { fqn: "cdktf.ConsulBackend", version: "0.21.0" };
    var DataTerraformRemoteStateConsul = class extends terraform_remote_state_1.TerraformRemoteState {
      constructor(scope, id, config) {
        super(scope, id, "consul", config);
      }
    };
    exports.DataTerraformRemoteStateConsul = DataTerraformRemoteStateConsul;
    _b = JSII_RTTI_SYMBOL_1;
    DataTerraformRemoteStateConsul[_b] = { fqn: "cdktf.DataTerraformRemoteStateConsul", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/backends/cos-backend.js
var require_cos_backend = __commonJS({
  "node_modules/cdktf/lib/backends/cos-backend.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DataTerraformRemoteStateCos = exports.CosBackend = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_backend_1 = require_terraform_backend();
    var util_1 = require_util();
    var terraform_remote_state_1 = require_terraform_remote_state();
    var CosBackend = class extends terraform_backend_1.TerraformBackend {
      constructor(scope, props) {
        super(scope, "backend", "cos");
        this.props = props;
      }
      synthesizeAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      synthesizeHclAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      getRemoteStateDataSource(scope, name, _fromStack) {
        return new DataTerraformRemoteStateCos(scope, name, {
          ...this.props,
          workspace: "${terraform.workspace}"
        });
      }
    };
    exports.CosBackend = CosBackend;
    _a = JSII_RTTI_SYMBOL_1;
    CosBackend[_a] = { fqn: "cdktf.CosBackend", version: "0.21.0" };
    var DataTerraformRemoteStateCos = class extends terraform_remote_state_1.TerraformRemoteState {
      constructor(scope, id, config) {
        super(scope, id, "cos", config);
      }
    };
    exports.DataTerraformRemoteStateCos = DataTerraformRemoteStateCos;
    _b = JSII_RTTI_SYMBOL_1;
    DataTerraformRemoteStateCos[_b] = { fqn: "cdktf.DataTerraformRemoteStateCos", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/backends/gcs-backend.js
var require_gcs_backend = __commonJS({
  "node_modules/cdktf/lib/backends/gcs-backend.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DataTerraformRemoteStateGcs = exports.GcsBackend = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_backend_1 = require_terraform_backend();
    var util_1 = require_util();
    var terraform_remote_state_1 = require_terraform_remote_state();
    var GcsBackend2 = class extends terraform_backend_1.TerraformBackend {
      constructor(scope, props) {
        super(scope, "backend", "gcs");
        this.props = props;
      }
      synthesizeAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      synthesizeHclAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      getRemoteStateDataSource(scope, name, _fromStack) {
        return new DataTerraformRemoteStateGcs(scope, name, {
          ...this.props,
          workspace: "${terraform.workspace}"
        });
      }
    };
    exports.GcsBackend = GcsBackend2;
    _a = JSII_RTTI_SYMBOL_1;
    GcsBackend2[_a] = { fqn: "cdktf.GcsBackend", version: "0.21.0" };
    var DataTerraformRemoteStateGcs = class extends terraform_remote_state_1.TerraformRemoteState {
      constructor(scope, id, config) {
        super(scope, id, "gcs", config);
      }
    };
    exports.DataTerraformRemoteStateGcs = DataTerraformRemoteStateGcs;
    _b = JSII_RTTI_SYMBOL_1;
    DataTerraformRemoteStateGcs[_b] = { fqn: "cdktf.DataTerraformRemoteStateGcs", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/backends/http-backend.js
var require_http_backend = __commonJS({
  "node_modules/cdktf/lib/backends/http-backend.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DataTerraformRemoteStateHttp = exports.HttpBackend = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_backend_1 = require_terraform_backend();
    var util_1 = require_util();
    var terraform_remote_state_1 = require_terraform_remote_state();
    var HttpBackend = class extends terraform_backend_1.TerraformBackend {
      constructor(scope, props) {
        super(scope, "backend", "http");
        this.props = props;
      }
      synthesizeAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      synthesizeHclAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      getRemoteStateDataSource(scope, name, _fromStack) {
        return new DataTerraformRemoteStateHttp(scope, name, this.props);
      }
    };
    exports.HttpBackend = HttpBackend;
    _a = JSII_RTTI_SYMBOL_1;
    HttpBackend[_a] = { fqn: "cdktf.HttpBackend", version: "0.21.0" };
    var DataTerraformRemoteStateHttp = class extends terraform_remote_state_1.TerraformRemoteState {
      constructor(scope, id, config) {
        super(scope, id, "http", config);
      }
    };
    exports.DataTerraformRemoteStateHttp = DataTerraformRemoteStateHttp;
    _b = JSII_RTTI_SYMBOL_1;
    DataTerraformRemoteStateHttp[_b] = { fqn: "cdktf.DataTerraformRemoteStateHttp", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/backends/oss-backend.js
var require_oss_backend = __commonJS({
  "node_modules/cdktf/lib/backends/oss-backend.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DataTerraformRemoteStateOss = exports.OssBackend = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_backend_1 = require_terraform_backend();
    var util_1 = require_util();
    var terraform_remote_state_1 = require_terraform_remote_state();
    var OssBackend = class extends terraform_backend_1.TerraformBackend {
      constructor(scope, props) {
        super(scope, "backend", "oss");
        this.props = props;
      }
      synthesizeAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      synthesizeHclAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      getRemoteStateDataSource(scope, name, _fromStack) {
        return new DataTerraformRemoteStateOss(scope, name, this.props);
      }
    };
    exports.OssBackend = OssBackend;
    _a = JSII_RTTI_SYMBOL_1;
    OssBackend[_a] = { fqn: "cdktf.OssBackend", version: "0.21.0" };
    var DataTerraformRemoteStateOss = class extends terraform_remote_state_1.TerraformRemoteState {
      constructor(scope, id, config) {
        super(scope, id, "oss", config);
      }
    };
    exports.DataTerraformRemoteStateOss = DataTerraformRemoteStateOss;
    _b = JSII_RTTI_SYMBOL_1;
    DataTerraformRemoteStateOss[_b] = { fqn: "cdktf.DataTerraformRemoteStateOss", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/backends/pg-backend.js
var require_pg_backend = __commonJS({
  "node_modules/cdktf/lib/backends/pg-backend.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DataTerraformRemoteStatePg = exports.PgBackend = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_backend_1 = require_terraform_backend();
    var util_1 = require_util();
    var terraform_remote_state_1 = require_terraform_remote_state();
    var PgBackend = class extends terraform_backend_1.TerraformBackend {
      constructor(scope, props) {
        super(scope, "backend", "pg");
        this.props = props;
      }
      synthesizeAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      synthesizeHclAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      getRemoteStateDataSource(scope, name, _fromStack) {
        return new DataTerraformRemoteStatePg(scope, name, {
          ...this.props,
          workspace: "${terraform.workspace}"
        });
      }
    };
    exports.PgBackend = PgBackend;
    _a = JSII_RTTI_SYMBOL_1;
    PgBackend[_a] = { fqn: "cdktf.PgBackend", version: "0.21.0" };
    var DataTerraformRemoteStatePg = class extends terraform_remote_state_1.TerraformRemoteState {
      constructor(scope, id, config) {
        super(scope, id, "pg", config);
      }
    };
    exports.DataTerraformRemoteStatePg = DataTerraformRemoteStatePg;
    _b = JSII_RTTI_SYMBOL_1;
    DataTerraformRemoteStatePg[_b] = { fqn: "cdktf.DataTerraformRemoteStatePg", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/backends/swift-backend.js
var require_swift_backend = __commonJS({
  "node_modules/cdktf/lib/backends/swift-backend.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DataTerraformRemoteStateSwift = exports.SwiftBackend = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_backend_1 = require_terraform_backend();
    var util_1 = require_util();
    var terraform_remote_state_1 = require_terraform_remote_state();
    var SwiftBackend = class extends terraform_backend_1.TerraformBackend {
      constructor(scope, props) {
        super(scope, "backend", "swift");
        this.props = props;
      }
      synthesizeAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      synthesizeHclAttributes() {
        return (0, util_1.keysToSnakeCase)({ ...this.props });
      }
      getRemoteStateDataSource(scope, name, _fromStack) {
        return new DataTerraformRemoteStateSwift(scope, name, this.props);
      }
    };
    exports.SwiftBackend = SwiftBackend;
    _a = JSII_RTTI_SYMBOL_1;
    SwiftBackend[_a] = { fqn: "cdktf.SwiftBackend", version: "0.21.0" };
    var DataTerraformRemoteStateSwift = class extends terraform_remote_state_1.TerraformRemoteState {
      constructor(scope, id, config) {
        super(scope, id, "swift", config);
      }
    };
    exports.DataTerraformRemoteStateSwift = DataTerraformRemoteStateSwift;
    _b = JSII_RTTI_SYMBOL_1;
    DataTerraformRemoteStateSwift[_b] = { fqn: "cdktf.DataTerraformRemoteStateSwift", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/backends/index.js
var require_backends = __commonJS({
  "node_modules/cdktf/lib/backends/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
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
    }));
    var __exportStar = exports && exports.__exportStar || function(m, exports2) {
      for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports2, p)) __createBinding(exports2, m, p);
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    __exportStar(require_s3_backend(), exports);
    __exportStar(require_local_backend(), exports);
    __exportStar(require_remote_backend(), exports);
    __exportStar(require_azurerm_backend(), exports);
    __exportStar(require_consul_backend(), exports);
    __exportStar(require_cos_backend(), exports);
    __exportStar(require_gcs_backend(), exports);
    __exportStar(require_http_backend(), exports);
    __exportStar(require_oss_backend(), exports);
    __exportStar(require_pg_backend(), exports);
    __exportStar(require_swift_backend(), exports);
    __exportStar(require_cloud_backend(), exports);
  }
});

// node_modules/cdktf/lib/terraform-local.js
var require_terraform_local = __commonJS({
  "node_modules/cdktf/lib/terraform-local.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformLocal = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_element_1 = require_terraform_element();
    var tokens_1 = require_tokens();
    var tfExpression_1 = require_tfExpression();
    var TerraformLocal2 = class extends terraform_element_1.TerraformElement {
      constructor(scope, id, expression) {
        super(scope, id, "local");
        this._expression = expression;
      }
      set expression(value) {
        this._expression = value;
      }
      get expression() {
        return tokens_1.Token.asAny(this.interpolation());
      }
      get asString() {
        return tokens_1.Token.asString(this.interpolation());
      }
      get asNumber() {
        return tokens_1.Token.asNumber(this.interpolation());
      }
      get asList() {
        return tokens_1.Token.asList(this.interpolation());
      }
      get asStringMap() {
        return tokens_1.Token.asStringMap(this.interpolation());
      }
      get asNumberMap() {
        return tokens_1.Token.asNumberMap(this.interpolation());
      }
      get asBooleanMap() {
        return tokens_1.Token.asBooleanMap(this.interpolation());
      }
      get asAnyMap() {
        return tokens_1.Token.asAnyMap(this.interpolation());
      }
      get asBoolean() {
        return this.interpolation();
      }
      interpolation() {
        return (0, tfExpression_1.ref)(`local.${this.friendlyUniqueId}`, this.cdktfStack);
      }
      toHclTerraform() {
        return {
          locals: {
            [this.friendlyUniqueId]: {
              value: this._expression,
              isBlock: false,
              type: "any"
            }
          }
        };
      }
      toTerraform() {
        return {
          locals: {
            [this.friendlyUniqueId]: this._expression
          }
        };
      }
      toMetadata() {
        if (!Object.keys(this.rawOverrides).length) {
          return {};
        }
        return {
          overrides: {
            local: Object.keys(this.rawOverrides)
          }
        };
      }
      /**
       * @returns a string token referencing the value of this local
       */
      toString() {
        return this.asString;
      }
    };
    exports.TerraformLocal = TerraformLocal2;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformLocal2[_a] = { fqn: "cdktf.TerraformLocal", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-variable.js
var require_terraform_variable = __commonJS({
  "node_modules/cdktf/lib/terraform-variable.js"(exports) {
    "use strict";
    var _a;
    var _b;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformVariable = exports.VariableType = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_element_1 = require_terraform_element();
    var util_1 = require_util();
    var tokens_1 = require_tokens();
    var tfExpression_1 = require_tfExpression();
    var VariableType = class {
      static list(type) {
        return `list(${type})`;
      }
      static map(type) {
        return `map(${type})`;
      }
      static set(type) {
        return `set(${type})`;
      }
      static tuple(...elements) {
        return `tuple(${elements.join(", ")})`;
      }
      static object(attributes) {
        return `object({${Object.keys(attributes).map((k) => k + "=" + attributes[k]).join(", ")}})`;
      }
    };
    exports.VariableType = VariableType;
    _a = JSII_RTTI_SYMBOL_1;
    VariableType[_a] = { fqn: "cdktf.VariableType", version: "0.21.0" };
    VariableType.STRING = "string";
    VariableType.NUMBER = "number";
    VariableType.BOOL = "bool";
    VariableType.ANY = "any";
    VariableType.LIST = "list";
    VariableType.MAP = "map";
    VariableType.SET = "set";
    VariableType.LIST_STRING = "list(string)";
    VariableType.LIST_NUMBER = "list(number)";
    VariableType.LIST_BOOL = "list(bool)";
    VariableType.MAP_STRING = "map(string)";
    VariableType.MAP_NUMBER = "map(number)";
    VariableType.MAP_BOOL = "map(bool)";
    VariableType.SET_STRING = "set(string)";
    VariableType.SET_NUMBER = "set(number)";
    VariableType.SET_BOOL = "set(bool)";
    var TerraformVariable = class extends terraform_element_1.TerraformElement {
      constructor(scope, id, config) {
        super(scope, id, "var");
        this.default = config.default;
        this.description = config.description;
        this.type = config.type;
        this.sensitive = config.sensitive;
        this.nullable = config.nullable;
        this._validation = config.validation;
      }
      get stringValue() {
        return tokens_1.Token.asString(this.interpolation());
      }
      get numberValue() {
        return tokens_1.Token.asNumber(this.interpolation());
      }
      get listValue() {
        return tokens_1.Token.asList(this.interpolation());
      }
      get booleanValue() {
        return this.interpolation();
      }
      get value() {
        return tokens_1.Token.asAny(this.interpolation());
      }
      get validation() {
        return this._validation;
      }
      addValidation(validation) {
        if (!this._validation) {
          this._validation = [];
        }
        this._validation.push(validation);
      }
      interpolation() {
        return (0, tfExpression_1.ref)(`var.${this.friendlyUniqueId}`, this.cdktfStack);
      }
      synthesizeHclAttributes() {
        const attrs = {
          default: {
            value: this.default,
            type: "any"
          },
          description: {
            value: this.description,
            type: "simple",
            storageClassType: "string"
          },
          type: {
            value: this.type,
            type: "type"
          },
          sensitive: {
            value: this.sensitive,
            type: "simple",
            storageClassType: "boolean"
          },
          nullable: {
            value: this.nullable,
            type: "simple",
            storageClassType: "boolean"
          },
          validation: {
            value: this.validation?.map((validation) => ({
              error_message: validation.errorMessage,
              condition: validation.condition
            })),
            isBlock: true,
            type: "list",
            storageClassType: "objectList"
          }
        };
        return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => !!value?.value));
      }
      synthesizeAttributes() {
        return {
          default: this.default,
          description: this.description,
          type: this.type,
          sensitive: this.sensitive,
          nullable: this.nullable,
          validation: this.validation?.map((validation) => ({
            error_message: validation.errorMessage,
            condition: validation.condition
          }))
        };
      }
      toHclTerraform() {
        return {
          variable: {
            [this.friendlyUniqueId]: (0, util_1.deepMerge)((0, util_1.keysToSnakeCase)(this.synthesizeHclAttributes()), this.rawOverrides)
          }
        };
      }
      toTerraform() {
        return {
          variable: {
            [this.friendlyUniqueId]: (0, util_1.deepMerge)((0, util_1.keysToSnakeCase)(this.synthesizeAttributes()), this.rawOverrides)
          }
        };
      }
      /**
       * @returns a string token referencing the value of this variable
       */
      toString() {
        return this.stringValue;
      }
    };
    exports.TerraformVariable = TerraformVariable;
    _b = JSII_RTTI_SYMBOL_1;
    TerraformVariable[_b] = { fqn: "cdktf.TerraformVariable", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-hcl-module.js
var require_terraform_hcl_module = __commonJS({
  "node_modules/cdktf/lib/terraform-hcl-module.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformHclModule = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_module_1 = require_terraform_module();
    var tokens_1 = require_tokens();
    var TerraformHclModule = class extends terraform_module_1.TerraformModule {
      constructor(scope, id, options) {
        super(scope, id, options);
        this._variables = options.variables;
      }
      get variables() {
        return this._variables;
      }
      set(variable, value) {
        if (!this._variables) {
          this._variables = {};
        }
        this._variables[variable] = value;
      }
      get(output) {
        return tokens_1.Token.asAny(this.interpolationForOutput(output));
      }
      getNumber(output) {
        return tokens_1.Token.asNumber(this.interpolationForOutput(output));
      }
      getBoolean(output) {
        return this.interpolationForOutput(output);
      }
      getList(output) {
        return tokens_1.Token.asList(this.interpolationForOutput(output));
      }
      synthesizeAttributes() {
        return { ...this.variables };
      }
      synthesizeHclAttributes() {
        if (!this.variables) {
          return {};
        }
        return Object.fromEntries(Object.entries(this.variables).map(([key, variable]) => {
          return [
            key,
            {
              value: variable,
              type: "any"
            }
          ];
        }));
      }
    };
    exports.TerraformHclModule = TerraformHclModule;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformHclModule[_a] = { fqn: "cdktf.TerraformHclModule", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-dynamic-expression.js
var require_terraform_dynamic_expression = __commonJS({
  "node_modules/cdktf/lib/terraform-dynamic-expression.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformDynamicExpression = void 0;
    var _1 = require_lib2();
    var tokens_1 = require_tokens();
    var stack_trace_1 = require_stack_trace2();
    var DYNAMIC_EXPRESSION_SYMBOL = /* @__PURE__ */ Symbol.for("cdktf/TerraformDynamicExpression");
    var TerraformDynamicExpression = class {
      constructor(args) {
        Object.defineProperty(this, DYNAMIC_EXPRESSION_SYMBOL, { value: true });
        this.creationStack = (0, stack_trace_1.captureStackTrace)();
        this.iterator = args.iterator;
        this.content = args.content;
      }
      /**
       * resolves this as a Terraform for expression.
       * This allows using iterator.dynamic() on attributes that are not blocks but
       * lists of objects (which is not visible to the user when working with provider
       * mappings as it is abstracted away)
       */
      resolve() {
        return tokens_1.Lazy.anyValue({
          produce: (context) => {
            context.iteratorContext = "FOR_EXPRESSION";
            return context.resolve((0, _1.forExpression)(this.iterator._getForEachExpression(), this.content));
          }
        });
      }
      toString() {
        return tokens_1.Token.asString(this);
      }
      /**
       * Turn this Dynamic Expression into JSON
       *
       * Called automatically when JSON.stringify() is called on this.
       */
      toJSON() {
        return "<unresolved-terraform-dynamic-expression>";
      }
      static isTerraformDynamicExpression(x) {
        return x !== null && typeof x === "object" && DYNAMIC_EXPRESSION_SYMBOL in x;
      }
    };
    exports.TerraformDynamicExpression = TerraformDynamicExpression;
  }
});

// node_modules/cdktf/lib/runtime.js
var require_runtime = __commonJS({
  "node_modules/cdktf/lib/runtime.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.isComplexElement = exports.numberToHclTerraform = exports.anyToHclTerraform = exports.booleanToHclTerraform = exports.stringToHclTerraform = exports.numberToTerraform = exports.anyToTerraform = exports.booleanToTerraform = exports.stringToTerraform = void 0;
    exports.listMapper = listMapper;
    exports.listMapperHcl = listMapperHcl;
    exports.hashMapper = hashMapper;
    exports.hashMapperHcl = hashMapperHcl;
    exports.canInspect = canInspect;
    var encoding_1 = require_encoding();
    Object.defineProperty(exports, "isComplexElement", { enumerable: true, get: function() {
      return encoding_1.isComplexElement;
    } });
    var tokens_1 = require_tokens();
    var terraform_dynamic_block_1 = require_terraform_dynamic_block();
    var terraform_dynamic_expression_1 = require_terraform_dynamic_expression();
    function identity(x) {
      return x;
    }
    exports.stringToTerraform = identity;
    exports.booleanToTerraform = identity;
    exports.anyToTerraform = identity;
    exports.numberToTerraform = identity;
    exports.stringToHclTerraform = identity;
    exports.booleanToHclTerraform = identity;
    exports.anyToHclTerraform = identity;
    exports.numberToHclTerraform = identity;
    function listMapper(elementMapper, isBlockType) {
      return (x) => {
        if (!canInspect(x)) {
          return x;
        }
        if (terraform_dynamic_expression_1.TerraformDynamicExpression.isTerraformDynamicExpression(x) && isBlockType) {
          return terraform_dynamic_block_1.TerraformDynamicBlock.fromDynamicExpression(x);
        }
        if (!Array.isArray(x)) {
          return x;
        }
        return x.map(elementMapper);
      };
    }
    function listMapperHcl(elementMapper, isBlockType) {
      return (x) => {
        if (!canInspect(x)) {
          return x;
        }
        if (terraform_dynamic_expression_1.TerraformDynamicExpression.isTerraformDynamicExpression(x) && isBlockType) {
          return terraform_dynamic_block_1.TerraformDynamicBlock.fromDynamicExpression(x);
        }
        if (!Array.isArray(x)) {
          return x;
        }
        return x.map(elementMapper);
      };
    }
    function hashMapper(elementMapper) {
      return (x) => {
        if (!canInspect(x)) {
          return x;
        }
        if ((0, encoding_1.containsComplexElement)(x)) {
          return x;
        }
        if (tokens_1.Tokenization.isResolvable(x)) {
          return x;
        }
        if (typeof x === "string") {
          return x;
        }
        if ((0, encoding_1.containsMapToken)(x)) {
          return x;
        }
        const ret = {};
        Object.keys(x).forEach((key) => {
          ret[key] = elementMapper(x[key]);
        });
        return ret;
      };
    }
    function hashMapperHcl(elementMapper) {
      return (x) => {
        if (!canInspect(x)) {
          return x;
        }
        if ((0, encoding_1.containsComplexElement)(x)) {
          return x;
        }
        if (tokens_1.Tokenization.isResolvable(x)) {
          return x;
        }
        if (typeof x === "string") {
          return x;
        }
        if ((0, encoding_1.containsMapToken)(x)) {
          return x;
        }
        const ret = {};
        Object.keys(x).forEach((key) => {
          ret[key] = elementMapper(x[key]);
        });
        return ret;
      };
    }
    function canInspect(x) {
      return x != null;
    }
  }
});

// node_modules/cdktf/lib/terraform-dependable.js
var require_terraform_dependable = __commonJS({
  "node_modules/cdktf/lib/terraform-dependable.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
  }
});

// node_modules/cdktf/lib/synthesize/types.js
var require_types = __commonJS({
  "node_modules/cdktf/lib/synthesize/types.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
  }
});

// node_modules/cdktf/lib/synthesize/index.js
var require_synthesize = __commonJS({
  "node_modules/cdktf/lib/synthesize/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
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
    }));
    var __exportStar = exports && exports.__exportStar || function(m, exports2) {
      for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports2, p)) __createBinding(exports2, m, p);
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    __exportStar(require_types(), exports);
  }
});

// node_modules/cdktf/lib/functions/helpers.js
var require_helpers = __commonJS({
  "node_modules/cdktf/lib/functions/helpers.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.anyValue = anyValue;
    exports.mapValue = mapValue;
    exports.stringValue = stringValue;
    exports.numericValue = numericValue;
    exports.listOf = listOf;
    exports.variadic = variadic;
    exports.asString = asString;
    exports.asNumber = asNumber;
    exports.asList = asList;
    exports.asStringMap = asStringMap;
    exports.asBoolean = asBoolean;
    exports.asAny = asAny;
    exports.terraformFunction = terraformFunction;
    var token_1 = require_token();
    var tfExpression_1 = require_tfExpression();
    var encoding_1 = require_encoding();
    var errors_1 = require_errors();
    function hasUnescapedDoubleQuotes(str) {
      return /(^|[^\\])([\\]{2})*"/.test(str);
    }
    function anyValue(value) {
      return { value };
    }
    function mapValue(value) {
      return { value };
    }
    function stringValue(value) {
      if (typeof value !== "string" && !token_1.Tokenization.isResolvable(value)) {
        throw (0, errors_1.valueIsInvalidStringOrToken)(value);
      }
      if (typeof value === "string" && hasUnescapedDoubleQuotes(value)) {
        throw (0, errors_1.valueContainsUnescapedQuotes)(value);
      }
      return { value };
    }
    function numericValue(value) {
      if (typeof value !== "number" && !token_1.Tokenization.isResolvable(value)) {
        throw (0, errors_1.valueIsInvalidNumberOrToken)(value);
      }
      return { value };
    }
    function listOf(type) {
      return (value) => {
        if (token_1.Tokenization.isResolvable(value)) {
          return { value };
        }
        if (!Array.isArray(value)) {
          return { value };
        }
        return {
          value: value.filter((item) => item !== void 0 && item !== null).map((item, i) => {
            if (token_1.Tokenization.isResolvable(item)) {
              return item;
            }
            if (encoding_1.TokenString.forListToken(item).test()) {
              return item;
            }
            if ((0, encoding_1.extractTokenDouble)(item, true) !== void 0) {
              return item;
            }
            if (encoding_1.TokenString.forMapToken(item).test()) {
              return item;
            }
            if (typeof item === "string") {
              const tokenList = token_1.Tokenization.reverseString(item);
              const numberOfTokens = tokenList.tokens.length + tokenList.intrinsic.length;
              if (numberOfTokens === 1 && tokenList.literals.length === 0) {
                return item;
              }
            }
            try {
              type(item);
              return typeof item === "string" ? `"${item}"` : item;
            } catch (error) {
              throw (0, errors_1.listElementIsOfWrongType)(value, i, error);
            }
          })
        };
      };
    }
    function variadic(type) {
      return (value) => {
        return { value: listOf(type)(value).value, variadic: true };
      };
    }
    function asString(value) {
      return token_1.Token.asString(value);
    }
    function asNumber(value) {
      return token_1.Token.asNumber(value);
    }
    function asList(value) {
      return token_1.Token.asList(value);
    }
    function asStringMap(value) {
      return token_1.Token.asStringMap(value);
    }
    function asBoolean(value) {
      return value;
    }
    function asAny(value) {
      return asString(value);
    }
    function terraformFunction(name, argValidators) {
      return function(...args) {
        if (args.length !== argValidators.length) {
          throw (0, errors_1.functionReceivedWrongNumberOfArgs)(name, argValidators.length, args.length);
        }
        return (0, tfExpression_1.call)(
          name,
          // We use flatMap now, since listOf() wraps everything in an extra array but variadic() does not
          // This enables us to have variadic pass multiple args into the call() from a single array
          args.reduce((carry, arg, i) => {
            try {
              const val = argValidators[i](arg);
              if (val.variadic)
                return [...carry, ...val.value];
              else
                return [...carry, val.value];
            } catch (error) {
              throw (0, errors_1.functionArgumentValidationFailure)(i, name, error);
            }
          }, [])
        );
      };
    }
  }
});

// node_modules/cdktf/lib/functions/terraform-functions.generated.js
var require_terraform_functions_generated = __commonJS({
  "node_modules/cdktf/lib/functions/terraform-functions.generated.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.FnGenerated = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var helpers_1 = require_helpers();
    var FnGenerated = class {
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/abs abs} returns the absolute value of the given number. In other words, if the number is zero or positive then it is returned as-is, but if it is negative then it is multiplied by -1 to make it positive before returning it.
       * @param {number} num
       */
      static abs(num) {
        return (0, helpers_1.asNumber)((0, helpers_1.terraformFunction)("abs", [helpers_1.numericValue])(num));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/abspath abspath} takes a string containing a filesystem path and converts it to an absolute path. That is, if the path is not absolute, it will be joined with the current working directory.
       * @param {string} path
       */
      static abspath(path) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("abspath", [helpers_1.stringValue])(path));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/alltrue alltrue} returns `true` if all elements in a given collection are `true` or `"true"`. It also returns `true` if the collection is empty.
       * @param {Array<any>} list
       */
      static alltrue(list) {
        return (0, helpers_1.asBoolean)((0, helpers_1.terraformFunction)("alltrue", [(0, helpers_1.listOf)(helpers_1.anyValue)])(list));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/anytrue anytrue} returns `true` if any element in a given collection is `true` or `"true"`. It also returns `false` if the collection is empty.
       * @param {Array<any>} list
       */
      static anytrue(list) {
        return (0, helpers_1.asBoolean)((0, helpers_1.terraformFunction)("anytrue", [(0, helpers_1.listOf)(helpers_1.anyValue)])(list));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/base64decode base64decode} takes a string containing a Base64 character sequence and returns the original string.
       * @param {string} str
       */
      static base64decode(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("base64decode", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/base64encode base64encode} applies Base64 encoding to a string.
       * @param {string} str
       */
      static base64encode(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("base64encode", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/base64gzip base64gzip} compresses a string with gzip and then encodes the result in Base64 encoding.
       * @param {string} str
       */
      static base64gzip(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("base64gzip", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/base64sha256 base64sha256} computes the SHA256 hash of a given string and encodes it with Base64. This is not equivalent to `base64encode(sha256("test"))` since `sha256()` returns hexadecimal representation.
       * @param {string} str
       */
      static base64sha256(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("base64sha256", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/base64sha512 base64sha512} computes the SHA512 hash of a given string and encodes it with Base64. This is not equivalent to `base64encode(sha512("test"))` since `sha512()` returns hexadecimal representation.
       * @param {string} str
       */
      static base64sha512(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("base64sha512", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/basename basename} takes a string containing a filesystem path and removes all except the last portion from it.
       * @param {string} path
       */
      static basename(path) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("basename", [helpers_1.stringValue])(path));
      }
      /**
       * @internal
       * {@link https://developer.hashicorp.com/terraform/language/functions/bcrypt bcrypt} computes a hash of the given string using the Blowfish cipher, returning a string in [the _Modular Crypt Format_](https://passlib.readthedocs.io/en/stable/modular_crypt_format.html) usually expected in the shadow password file on many Unix systems.
       * @param {string} str
       * @param {Array<number>} cost
       */
      static _bcrypt(str, cost) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("bcrypt", [helpers_1.stringValue, (0, helpers_1.variadic)(helpers_1.numericValue)])(str, cost));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/can can} evaluates the given expression and returns a boolean value indicating whether the expression produced a result without any errors.
       * @param {any} expression
       */
      static can(expression) {
        return (0, helpers_1.asBoolean)((0, helpers_1.terraformFunction)("can", [helpers_1.anyValue])(expression));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/ceil ceil} returns the closest whole number that is greater than or equal to the given value, which may be a fraction.
       * @param {number} num
       */
      static ceil(num) {
        return (0, helpers_1.asNumber)((0, helpers_1.terraformFunction)("ceil", [helpers_1.numericValue])(num));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/chomp chomp} removes newline characters at the end of a string.
       * @param {string} str
       */
      static chomp(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("chomp", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/chunklist chunklist} splits a single list into fixed-size chunks, returning a list of lists.
       * @param {Array<any>} list
       * @param {number} size
       */
      static chunklist(list, size) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("chunklist", [(0, helpers_1.listOf)(helpers_1.anyValue), helpers_1.numericValue])(list, size));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/cidrhost cidrhost} calculates a full host IP address for a given host number within a given IP network address prefix.
       * @param {string} prefix
       * @param {number} hostnum
       */
      static cidrhost(prefix, hostnum) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("cidrhost", [helpers_1.stringValue, helpers_1.numericValue])(prefix, hostnum));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/cidrnetmask cidrnetmask} converts an IPv4 address prefix given in CIDR notation into a subnet mask address.
       * @param {string} prefix
       */
      static cidrnetmask(prefix) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("cidrnetmask", [helpers_1.stringValue])(prefix));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/cidrsubnet cidrsubnet} calculates a subnet address within given IP network address prefix.
       * @param {string} prefix
       * @param {number} newbits
       * @param {number} netnum
       */
      static cidrsubnet(prefix, newbits, netnum) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("cidrsubnet", [
          helpers_1.stringValue,
          helpers_1.numericValue,
          helpers_1.numericValue
        ])(prefix, newbits, netnum));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/cidrsubnets cidrsubnets} calculates a sequence of consecutive IP address ranges within a particular CIDR prefix.
       * @param {string} prefix
       * @param {Array<number>} newbits
       */
      static cidrsubnets(prefix, newbits) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("cidrsubnets", [helpers_1.stringValue, (0, helpers_1.variadic)(helpers_1.numericValue)])(prefix, newbits));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/coalesce coalesce} takes any number of arguments and returns the first one that isn't null or an empty string.
       * @param {Array<any>} vals
       */
      static coalesce(vals) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("coalesce", [(0, helpers_1.variadic)(helpers_1.anyValue)])(vals));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/coalescelist coalescelist} takes any number of list arguments and returns the first one that isn't empty.
       * @param {Array<any>} vals
       */
      static coalescelist(vals) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("coalescelist", [(0, helpers_1.variadic)(helpers_1.anyValue)])(vals));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/compact compact} takes a list of strings and returns a new list with any empty string elements removed.
       * @param {Array<string>} list
       */
      static compact(list) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("compact", [(0, helpers_1.listOf)(helpers_1.anyValue)])(list));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/concat concat} takes two or more lists and combines them into a single list.
       * @param {Array<any>} seqs
       */
      static concat(seqs) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("concat", [(0, helpers_1.variadic)(helpers_1.anyValue)])(seqs));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/contains contains} determines whether a given list or set contains a given single value as one of its elements.
       * @param {any} list
       * @param {any} value
       */
      static contains(list, value) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("contains", [helpers_1.anyValue, helpers_1.anyValue])(list, value));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/csvdecode csvdecode} decodes a string containing CSV-formatted data and produces a list of maps representing that data.
       * @param {string} str
       */
      static csvdecode(str) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("csvdecode", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/dirname dirname} takes a string containing a filesystem path and removes the last portion from it.
       * @param {string} path
       */
      static dirname(path) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("dirname", [helpers_1.stringValue])(path));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/distinct distinct} takes a list and returns a new list with any duplicate elements removed.
       * @param {Array<any>} list
       */
      static distinct(list) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("distinct", [(0, helpers_1.listOf)(helpers_1.anyValue)])(list));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/element element} retrieves a single element from a list.
       * @param {any} list
       * @param {number} index
       */
      static element(list, index) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("element", [helpers_1.anyValue, helpers_1.numericValue])(list, index));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/endswith endswith} takes two values: a string to check and a suffix string. The function returns true if the first string ends with that exact suffix.
       * @param {string} str
       * @param {string} suffix
       */
      static endswith(str, suffix) {
        return (0, helpers_1.asBoolean)((0, helpers_1.terraformFunction)("endswith", [helpers_1.stringValue, helpers_1.stringValue])(str, suffix));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/file file} reads the contents of a file at the given path and returns them as a string.
       * @param {string} path
       */
      static file(path) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("file", [helpers_1.stringValue])(path));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/filebase64 filebase64} reads the contents of a file at the given path and returns them as a base64-encoded string.
       * @param {string} path
       */
      static filebase64(path) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("filebase64", [helpers_1.stringValue])(path));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/filebase64sha256 filebase64sha256} is a variant of `base64sha256` that hashes the contents of a given file rather than a literal string.
       * @param {string} path
       */
      static filebase64sha256(path) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("filebase64sha256", [helpers_1.stringValue])(path));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/filebase64sha512 filebase64sha512} is a variant of `base64sha512` that hashes the contents of a given file rather than a literal string.
       * @param {string} path
       */
      static filebase64sha512(path) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("filebase64sha512", [helpers_1.stringValue])(path));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/fileexists fileexists} determines whether a file exists at a given path.
       * @param {string} path
       */
      static fileexists(path) {
        return (0, helpers_1.asBoolean)((0, helpers_1.terraformFunction)("fileexists", [helpers_1.stringValue])(path));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/filemd5 filemd5} is a variant of `md5` that hashes the contents of a given file rather than a literal string.
       * @param {string} path
       */
      static filemd5(path) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("filemd5", [helpers_1.stringValue])(path));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/fileset fileset} enumerates a set of regular file names given a path and pattern. The path is automatically removed from the resulting set of file names and any result still containing path separators always returns forward slash (`/`) as the path separator for cross-system compatibility.
       * @param {string} path
       * @param {string} pattern
       */
      static fileset(path, pattern) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("fileset", [helpers_1.stringValue, helpers_1.stringValue])(path, pattern));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/filesha1 filesha1} is a variant of `sha1` that hashes the contents of a given file rather than a literal string.
       * @param {string} path
       */
      static filesha1(path) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("filesha1", [helpers_1.stringValue])(path));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/filesha256 filesha256} is a variant of `sha256` that hashes the contents of a given file rather than a literal string.
       * @param {string} path
       */
      static filesha256(path) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("filesha256", [helpers_1.stringValue])(path));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/filesha512 filesha512} is a variant of `sha512` that hashes the contents of a given file rather than a literal string.
       * @param {string} path
       */
      static filesha512(path) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("filesha512", [helpers_1.stringValue])(path));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/flatten flatten} takes a list and replaces any elements that are lists with a flattened sequence of the list contents.
       * @param {any} list
       */
      static flatten(list) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("flatten", [helpers_1.anyValue])(list));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/floor floor} returns the closest whole number that is less than or equal to the given value, which may be a fraction.
       * @param {number} num
       */
      static floor(num) {
        return (0, helpers_1.asNumber)((0, helpers_1.terraformFunction)("floor", [helpers_1.numericValue])(num));
      }
      /**
       * The {@link https://developer.hashicorp.com/terraform/language/functions/format format} function produces a string by formatting a number of other values according to a specification string. It is similar to the `printf` function in C, and other similar functions in other programming languages.
       * @param {string} format
       * @param {Array<any>} args
       */
      static format(format, args) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("format", [helpers_1.stringValue, (0, helpers_1.variadic)(helpers_1.anyValue)])(format, args));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/formatdate formatdate} converts a timestamp into a different time format.
       * @param {string} format
       * @param {string} time
       */
      static formatdate(format, time) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("formatdate", [helpers_1.stringValue, helpers_1.stringValue])(format, time));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/formatlist formatlist} produces a list of strings by formatting a number of other values according to a specification string.
       * @param {string} format
       * @param {Array<any>} args
       */
      static formatlist(format, args) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("formatlist", [helpers_1.stringValue, (0, helpers_1.variadic)(helpers_1.anyValue)])(format, args));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/indent indent} adds a given number of spaces to the beginnings of all but the first line in a given multi-line string.
       * @param {number} spaces
       * @param {string} str
       */
      static indent(spaces, str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("indent", [helpers_1.numericValue, helpers_1.stringValue])(spaces, str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/index index} finds the element index for a given value in a list.
       * @param {any} list
       * @param {any} value
       */
      static index(list, value) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("index", [helpers_1.anyValue, helpers_1.anyValue])(list, value));
      }
      /**
       * @internal
       * {@link https://developer.hashicorp.com/terraform/language/functions/join join} produces a string by concatenating together all elements of a given list of strings with the given delimiter.
       * @param {string} separator
       * @param {Array<Array<string>>} lists
       */
      static _join(separator, lists) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("join", [helpers_1.stringValue, (0, helpers_1.variadic)((0, helpers_1.listOf)(helpers_1.anyValue))])(separator, lists));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/jsondecode jsondecode} interprets a given string as JSON, returning a representation of the result of decoding that string.
       * @param {string} str
       */
      static jsondecode(str) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("jsondecode", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/jsonencode jsonencode} encodes a given value to a string using JSON syntax.
       * @param {any} val
       */
      static jsonencode(val) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("jsonencode", [helpers_1.anyValue])(val));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/keys keys} takes a map and returns a list containing the keys from that map.
       * @param {any} inputMap
       */
      static keys(inputMap) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("keys", [helpers_1.anyValue])(inputMap));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/length length} determines the length of a given list, map, or string.
       * @param {any} value
       */
      static lengthOf(value) {
        return (0, helpers_1.asNumber)((0, helpers_1.terraformFunction)("length", [helpers_1.anyValue])(value));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/log log} returns the logarithm of a given number in a given base.
       * @param {number} num
       * @param {number} base
       */
      static log(num, base) {
        return (0, helpers_1.asNumber)((0, helpers_1.terraformFunction)("log", [helpers_1.numericValue, helpers_1.numericValue])(num, base));
      }
      /**
       * @internal
       * {@link https://developer.hashicorp.com/terraform/language/functions/lookup lookup} retrieves the value of a single element from a map, given its key. If the given key does not exist, the given default value is returned instead.
       * @param {any} inputMap
       * @param {string} key
       * @param {Array<any>} defaultValue
       */
      static _lookup(inputMap, key, defaultValue) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("lookup", [helpers_1.anyValue, helpers_1.stringValue, (0, helpers_1.variadic)(helpers_1.anyValue)])(inputMap, key, defaultValue));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/lower lower} converts all cased letters in the given string to lowercase.
       * @param {string} str
       */
      static lower(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("lower", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/matchkeys matchkeys} constructs a new list by taking a subset of elements from one list whose indexes match the corresponding indexes of values in another list.
       * @param {Array<any>} values
       * @param {Array<any>} keys
       * @param {Array<any>} searchset
       */
      static matchkeys(values, keys, searchset) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("matchkeys", [
          (0, helpers_1.listOf)(helpers_1.anyValue),
          (0, helpers_1.listOf)(helpers_1.anyValue),
          (0, helpers_1.listOf)(helpers_1.anyValue)
        ])(values, keys, searchset));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/max max} takes one or more numbers and returns the greatest number from the set.
       * @param {Array<number>} numbers
       */
      static max(numbers) {
        return (0, helpers_1.asNumber)((0, helpers_1.terraformFunction)("max", [(0, helpers_1.variadic)(helpers_1.numericValue)])(numbers));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/md5 md5} computes the MD5 hash of a given string and encodes it with hexadecimal digits.
       * @param {string} str
       */
      static md5(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("md5", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/merge merge} takes an arbitrary number of maps or objects, and returns a single map or object that contains a merged set of elements from all arguments.
       * @param {Array<any>} maps
       */
      static merge(maps) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("merge", [(0, helpers_1.variadic)(helpers_1.anyValue)])(maps));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/min min} takes one or more numbers and returns the smallest number from the set.
       * @param {Array<number>} numbers
       */
      static min(numbers) {
        return (0, helpers_1.asNumber)((0, helpers_1.terraformFunction)("min", [(0, helpers_1.variadic)(helpers_1.numericValue)])(numbers));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/nonsensitive nonsensitive} takes a sensitive value and returns a copy of that value with the sensitive marking removed, thereby exposing the sensitive value.
       * @param {any} value
       */
      static nonsensitive(value) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("nonsensitive", [helpers_1.anyValue])(value));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/one one} takes a list, set, or tuple value with either zero or one elements. If the collection is empty, `one` returns `null`. Otherwise, `one` returns the first element. If there are two or more elements then `one` will return an error.
       * @param {any} list
       */
      static one(list) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("one", [helpers_1.anyValue])(list));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/parseint parseint} parses the given string as a representation of an integer in the specified base and returns the resulting number. The base must be between 2 and 62 inclusive.
       * @param {any} number
       * @param {number} base
       */
      static parseint(number, base) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("parseint", [helpers_1.anyValue, helpers_1.numericValue])(number, base));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/pathexpand pathexpand} takes a filesystem path that might begin with a `~` segment, and if so it replaces that segment with the current user's home directory path.
       * @param {string} path
       */
      static pathexpand(path) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("pathexpand", [helpers_1.stringValue])(path));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/plantimestamp plantimestamp} returns a UTC timestamp string in [RFC 3339](https://tools.ietf.org/html/rfc3339) format, fixed to a constant time representing the time of the plan.
       */
      static plantimestamp() {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("plantimestamp", [])());
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/pow pow} calculates an exponent, by raising its first argument to the power of the second argument.
       * @param {number} num
       * @param {number} power
       */
      static pow(num, power) {
        return (0, helpers_1.asNumber)((0, helpers_1.terraformFunction)("pow", [helpers_1.numericValue, helpers_1.numericValue])(num, power));
      }
      /**
       * @internal
       * {@link https://developer.hashicorp.com/terraform/language/functions/range range} generates a list of numbers using a start value, a limit value, and a step value.
       * @param {Array<number>} params
       */
      static _range(params) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("range", [(0, helpers_1.variadic)(helpers_1.numericValue)])(params));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/regex regex} applies a [regular expression](https://en.wikipedia.org/wiki/Regular_expression) to a string and returns the matching substrings.
       * @param {string} pattern
       * @param {string} str
       */
      static regex(pattern, str) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("regex", [helpers_1.stringValue, helpers_1.stringValue])(pattern, str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/regexall regexall} applies a [regular expression](https://en.wikipedia.org/wiki/Regular_expression) to a string and returns a list of all matches.
       * @param {string} pattern
       * @param {string} str
       */
      static regexall(pattern, str) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("regexall", [helpers_1.stringValue, helpers_1.stringValue])(pattern, str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/replace replace} searches a given string for another given substring, and replaces each occurrence with a given replacement string.
       * @param {string} str
       * @param {string} substr
       * @param {string} replace
       */
      static replace(str, substr, replace) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("replace", [helpers_1.stringValue, helpers_1.stringValue, helpers_1.stringValue])(str, substr, replace));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/reverse reverse} takes a sequence and produces a new sequence of the same length with all of the same elements as the given sequence but in reverse order.
       * @param {any} list
       */
      static reverse(list) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("reverse", [helpers_1.anyValue])(list));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/rsadecrypt rsadecrypt} decrypts an RSA-encrypted ciphertext, returning the corresponding cleartext.
       * @param {string} ciphertext
       * @param {string} privatekey
       */
      static rsadecrypt(ciphertext, privatekey) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("rsadecrypt", [helpers_1.stringValue, helpers_1.stringValue])(ciphertext, privatekey));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/sensitive sensitive} takes any value and returns a copy of it marked so that Terraform will treat it as sensitive, with the same meaning and behavior as for [sensitive input variables](/terraform/language/values/variables#suppressing-values-in-cli-output).
       * @param {any} value
       */
      static sensitive(value) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("sensitive", [helpers_1.anyValue])(value));
      }
      /**
       * The {@link https://developer.hashicorp.com/terraform/language/functions/setintersection setintersection} function takes multiple sets and produces a single set containing only the elements that all of the given sets have in common. In other words, it computes the [intersection](https://en.wikipedia.org/wiki/Intersection_\(set_theory\)) of the sets.
       * @param {Array<any>} first_set
       * @param {Array<Array<any>>} other_sets
       */
      static setintersection(first_set, other_sets) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("setintersection", [
          (0, helpers_1.listOf)(helpers_1.anyValue),
          (0, helpers_1.variadic)((0, helpers_1.listOf)(helpers_1.anyValue))
        ])(first_set, other_sets));
      }
      /**
       * The {@link https://developer.hashicorp.com/terraform/language/functions/setproduct setproduct} function finds all of the possible combinations of elements from all of the given sets by computing the [Cartesian product](https://en.wikipedia.org/wiki/Cartesian_product).
       * @param {Array<any>} sets
       */
      static setproduct(sets) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("setproduct", [(0, helpers_1.variadic)(helpers_1.anyValue)])(sets));
      }
      /**
       * The {@link https://developer.hashicorp.com/terraform/language/functions/setsubtract setsubtract} function returns a new set containing the elements from the first set that are not present in the second set. In other words, it computes the [relative complement](https://en.wikipedia.org/wiki/Complement_\(set_theory\)#Relative_complement) of the second set.
       * @param {Array<any>} a
       * @param {Array<any>} b
       */
      static setsubtract(a, b) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("setsubtract", [(0, helpers_1.listOf)(helpers_1.anyValue), (0, helpers_1.listOf)(helpers_1.anyValue)])(a, b));
      }
      /**
       * The {@link https://developer.hashicorp.com/terraform/language/functions/setunion setunion} function takes multiple sets and produces a single set containing the elements from all of the given sets. In other words, it computes the [union](https://en.wikipedia.org/wiki/Union_\(set_theory\)) of the sets.
       * @param {Array<any>} first_set
       * @param {Array<Array<any>>} other_sets
       */
      static setunion(first_set, other_sets) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("setunion", [
          (0, helpers_1.listOf)(helpers_1.anyValue),
          (0, helpers_1.variadic)((0, helpers_1.listOf)(helpers_1.anyValue))
        ])(first_set, other_sets));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/sha1 sha1} computes the SHA1 hash of a given string and encodes it with hexadecimal digits.
       * @param {string} str
       */
      static sha1(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("sha1", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/sha256 sha256} computes the SHA256 hash of a given string and encodes it with hexadecimal digits.
       * @param {string} str
       */
      static sha256(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("sha256", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/sha512 sha512} computes the SHA512 hash of a given string and encodes it with hexadecimal digits.
       * @param {string} str
       */
      static sha512(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("sha512", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/signum signum} determines the sign of a number, returning a number between -1 and 1 to represent the sign.
       * @param {number} num
       */
      static signum(num) {
        return (0, helpers_1.asNumber)((0, helpers_1.terraformFunction)("signum", [helpers_1.numericValue])(num));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/slice slice} extracts some consecutive elements from within a list.
       * @param {any} list
       * @param {number} start_index
       * @param {number} end_index
       */
      static slice(list, start_index, end_index) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("slice", [helpers_1.anyValue, helpers_1.numericValue, helpers_1.numericValue])(list, start_index, end_index));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/sort sort} takes a list of strings and returns a new list with those strings sorted lexicographically.
       * @param {Array<string>} list
       */
      static sort(list) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("sort", [(0, helpers_1.listOf)(helpers_1.anyValue)])(list));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/split split} produces a list by dividing a given string at all occurrences of a given separator.
       * @param {string} separator
       * @param {string} str
       */
      static split(separator, str) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("split", [helpers_1.stringValue, helpers_1.stringValue])(separator, str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/startswith startswith} takes two values: a string to check and a prefix string. The function returns true if the string begins with that exact prefix.
       * @param {string} str
       * @param {string} prefix
       */
      static startswith(str, prefix) {
        return (0, helpers_1.asBoolean)((0, helpers_1.terraformFunction)("startswith", [helpers_1.stringValue, helpers_1.stringValue])(str, prefix));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/strcontains strcontains} takes two values: a string to check and an expected substring. The function returns true if the string has the substring contained within it.
       * @param {string} str
       * @param {string} substr
       */
      static strcontains(str, substr) {
        return (0, helpers_1.asBoolean)((0, helpers_1.terraformFunction)("strcontains", [helpers_1.stringValue, helpers_1.stringValue])(str, substr));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/strrev strrev} reverses the characters in a string. Note that the characters are treated as _Unicode characters_ (in technical terms, Unicode [grapheme cluster boundaries](https://unicode.org/reports/tr29/#Grapheme_Cluster_Boundaries) are respected).
       * @param {string} str
       */
      static strrev(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("strrev", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/substr substr} extracts a substring from a given string by offset and (maximum) length.
       * @param {string} str
       * @param {number} offset
       * @param {number} length
       */
      static substr(str, offset, length) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("substr", [helpers_1.stringValue, helpers_1.numericValue, helpers_1.numericValue])(str, offset, length));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/sum sum} takes a list or set of numbers and returns the sum of those numbers.
       * @param {any} list
       */
      static sum(list) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("sum", [helpers_1.anyValue])(list));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/templatefile templatefile} reads the file at the given path and renders its content as a template using a supplied set of template variables.
       * @param {string} path
       * @param {any} vars
       */
      static templatefile(path, vars) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("templatefile", [helpers_1.stringValue, helpers_1.anyValue])(path, vars));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/textdecodebase64 textdecodebase64} function decodes a string that was previously Base64-encoded, and then interprets the result as characters in a specified character encoding.
       * @param {string} source
       * @param {string} encoding
       */
      static textdecodebase64(source, encoding) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("textdecodebase64", [helpers_1.stringValue, helpers_1.stringValue])(source, encoding));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/textencodebase64 textencodebase64} encodes the unicode characters in a given string using a specified character encoding, returning the result base64 encoded because Terraform language strings are always sequences of unicode characters.
       * @param {string} str
       * @param {string} encoding
       */
      static textencodebase64(str, encoding) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("textencodebase64", [helpers_1.stringValue, helpers_1.stringValue])(str, encoding));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/timeadd timeadd} adds a duration to a timestamp, returning a new timestamp.
       * @param {string} timestamp
       * @param {string} duration
       */
      static timeadd(timestamp, duration) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("timeadd", [helpers_1.stringValue, helpers_1.stringValue])(timestamp, duration));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/timecmp timecmp} compares two timestamps and returns a number that represents the ordering of the instants those timestamps represent.
       * @param {string} timestamp_a
       * @param {string} timestamp_b
       */
      static timecmp(timestamp_a, timestamp_b) {
        return (0, helpers_1.asNumber)((0, helpers_1.terraformFunction)("timecmp", [helpers_1.stringValue, helpers_1.stringValue])(timestamp_a, timestamp_b));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/timestamp timestamp} returns a UTC timestamp string in [RFC 3339](https://tools.ietf.org/html/rfc3339) format.
       */
      static timestamp() {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("timestamp", [])());
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/title title} converts the first letter of each word in the given string to uppercase.
       * @param {string} str
       */
      static title(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("title", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/tobool tobool} converts its argument to a boolean value.
       * @param {any} v
       */
      static tobool(v) {
        return (0, helpers_1.asBoolean)((0, helpers_1.terraformFunction)("tobool", [helpers_1.anyValue])(v));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/tolist tolist} converts its argument to a list value.
       * @param {any} v
       */
      static tolist(v) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("tolist", [helpers_1.anyValue])(v));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/tomap tomap} converts its argument to a map value.
       * @param {any} v
       */
      static tomap(v) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("tomap", [helpers_1.anyValue])(v));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/tonumber tonumber} converts its argument to a number value.
       * @param {any} v
       */
      static tonumber(v) {
        return (0, helpers_1.asNumber)((0, helpers_1.terraformFunction)("tonumber", [helpers_1.anyValue])(v));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/toset toset} converts its argument to a set value.
       * @param {any} v
       */
      static toset(v) {
        return (0, helpers_1.asList)((0, helpers_1.terraformFunction)("toset", [helpers_1.anyValue])(v));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/tostring tostring} converts its argument to a string value.
       * @param {any} v
       */
      static tostring(v) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("tostring", [helpers_1.anyValue])(v));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/transpose transpose} takes a map of lists of strings and swaps the keys and values to produce a new map of lists of strings.
       * @param {Object<string, Array<string>>} values
       */
      static transpose(values) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("transpose", [helpers_1.mapValue])(values));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/trim trim} removes the specified set of characters from the start and end of the given string.
       * @param {string} str
       * @param {string} cutset
       */
      static trim(str, cutset) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("trim", [helpers_1.stringValue, helpers_1.stringValue])(str, cutset));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/trimprefix trimprefix} removes the specified prefix from the start of the given string. If the string does not start with the prefix, the string is returned unchanged.
       * @param {string} str
       * @param {string} prefix
       */
      static trimprefix(str, prefix) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("trimprefix", [helpers_1.stringValue, helpers_1.stringValue])(str, prefix));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/trimspace trimspace} removes any space characters from the start and end of the given string.
       * @param {string} str
       */
      static trimspace(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("trimspace", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/trimsuffix trimsuffix} removes the specified suffix from the end of the given string.
       * @param {string} str
       * @param {string} suffix
       */
      static trimsuffix(str, suffix) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("trimsuffix", [helpers_1.stringValue, helpers_1.stringValue])(str, suffix));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/try try} evaluates all of its argument expressions in turn and returns the result of the first one that does not produce any errors.
       * @param {Array<any>} expressions
       */
      static try(expressions) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("try", [(0, helpers_1.variadic)(helpers_1.anyValue)])(expressions));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/upper upper} converts all cased letters in the given string to uppercase.
       * @param {string} str
       */
      static upper(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("upper", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/urlencode urlencode} applies URL encoding to a given string.
       * @param {string} str
       */
      static urlencode(str) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("urlencode", [helpers_1.stringValue])(str));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/uuid uuid} generates a unique identifier string.
       */
      static uuid() {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("uuid", [])());
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/uuidv5 uuidv5} generates a _name-based_ UUID, as described in [RFC 4122 section 4.3](https://tools.ietf.org/html/rfc4122#section-4.3), also known as a "version 5" UUID.
       * @param {string} namespace
       * @param {string} name
       */
      static uuidv5(namespace, name) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("uuidv5", [helpers_1.stringValue, helpers_1.stringValue])(namespace, name));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/values values} takes a map and returns a list containing the values of the elements in that map.
       * @param {any} mapping
       */
      static values(mapping) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("values", [helpers_1.anyValue])(mapping));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/yamldecode yamldecode} parses a string as a subset of YAML, and produces a representation of its value.
       * @param {string} src
       */
      static yamldecode(src) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("yamldecode", [helpers_1.stringValue])(src));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/yamlencode yamlencode} encodes a given value to a string using [YAML 1.2](https://yaml.org/spec/1.2/spec.html) block syntax.
       * @param {any} value
       */
      static yamlencode(value) {
        return (0, helpers_1.asString)((0, helpers_1.terraformFunction)("yamlencode", [helpers_1.anyValue])(value));
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/functions/zipmap zipmap} constructs a map from a list of keys and a corresponding list of values.
       * @param {Array<string>} keys
       * @param {any} values
       */
      static zipmap(keys, values) {
        return (0, helpers_1.asAny)((0, helpers_1.terraformFunction)("zipmap", [(0, helpers_1.listOf)(helpers_1.anyValue), helpers_1.anyValue])(keys, values));
      }
    };
    exports.FnGenerated = FnGenerated;
    _a = JSII_RTTI_SYMBOL_1;
    FnGenerated[_a] = { fqn: "cdktf.FnGenerated", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-functions.js
var require_terraform_functions = __commonJS({
  "node_modules/cdktf/lib/terraform-functions.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Fn = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var _1 = require_lib2();
    var helpers_1 = require_helpers();
    var terraform_functions_generated_1 = require_terraform_functions_generated();
    var Fn2 = class _Fn extends terraform_functions_generated_1.FnGenerated {
      /**
       * {@link /terraform/docs/language/functions/bcrypt.html bcrypt} computes a hash of the given string using the Blowfish cipher, returning a string in [the _Modular Crypt Format_](https://passlib.readthedocs.io/en/stable/modular_crypt_format.html) usually expected in the shadow password file on many Unix systems.
       * @param {string} str
       * @param {number} [cost]
       */
      static bcrypt(str, cost) {
        return _Fn._bcrypt(str, cost ? [cost] : []);
      }
      /**
       * {@link https://developer.hashicorp.com/terraform/language/expressions/conditionals} A conditional expression uses the value of a boolean expression to select one of two values.
       * @param {Expression} condition
       * @param {Expression} trueValue
       * @param {Expression} falseValue
       */
      static conditional(condition, trueValue, falseValue) {
        return (0, _1.conditional)(condition, trueValue, falseValue);
      }
      /**
       * {@link /terraform/docs/language/functions/lookup.html lookup} retrieves the value of a single element from a map, given its key. If the given key does not exist, the given default value is returned instead.
       * @param {any} inputMap
       * @param {string} key
       * @param {any} [defaultValue]
       */
      static lookup(inputMap, key, defaultValue) {
        if (defaultValue)
          return _Fn._lookup(inputMap, key, [defaultValue]);
        return (0, helpers_1.asAny)((0, _1.propertyAccess)(inputMap, [key]));
      }
      /**
       * returns a property access expression that accesses the property at the given path in the given inputMap.
       * For example lookupNested(x, ["a", "b", "c"]) will return a Terraform expression like x["a"]["b"]["c"]
       * @param {any} inputMap
       * @param {Array<any>} path
       */
      static lookupNested(inputMap, path) {
        return (0, helpers_1.asAny)((0, _1.propertyAccess)(inputMap, path));
      }
      /**
       * {@link /terraform/docs/language/functions/join.html join} produces a string by concatenating together all elements of a given list of strings with the given delimiter.
       * @param {string} separator
       * @param {Array<string>} list
       */
      static join(separator, list) {
        return _Fn._join(separator, [list]);
      }
      /**
       * {@link /terraform/docs/language/functions/range.html range} generates a list of numbers using a start value, a limit value, and a step value.
       * @param {number} start
       * @param {number} limit
       * @param {number} [step=1]
       */
      static range(start, limit, step = 1) {
        return _Fn._range([start, limit, step]);
      }
      /**
       * Use this function to wrap a string and escape it properly for the use in Terraform
       * This is only needed in certain scenarios (e.g., if you have unescaped double quotes in the string)
       * @param {String} str
       */
      static rawString(str) {
        return _1.Token.asString((0, _1.rawString)(str));
      }
    };
    exports.Fn = Fn2;
    _a = JSII_RTTI_SYMBOL_1;
    Fn2[_a] = { fqn: "cdktf.Fn", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-operators.js
var require_terraform_operators = __commonJS({
  "node_modules/cdktf/lib/terraform-operators.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Op = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var tfExpression_1 = require_tfExpression();
    var tokens_1 = require_tokens();
    var Op = class {
      /**
       * Renders !expression
       */
      static not(expression) {
        return new tfExpression_1.OperatorExpression("!", expression);
      }
      /**
       * Renders -expression
       */
      static negate(expression) {
        return tokens_1.Token.asNumber(new tfExpression_1.OperatorExpression("-", expression));
      }
      /**
       * Renders left * right
       */
      static mul(left, right) {
        return tokens_1.Token.asNumber(new tfExpression_1.OperatorExpression("*", left, right));
      }
      /**
       * Renders left / right
       */
      static div(left, right) {
        return tokens_1.Token.asNumber(new tfExpression_1.OperatorExpression("/", left, right));
      }
      /**
       * Renders left % right
       */
      static mod(left, right) {
        return tokens_1.Token.asNumber(new tfExpression_1.OperatorExpression("%", left, right));
      }
      /**
       * Renders left + right
       */
      static add(left, right) {
        return tokens_1.Token.asNumber(new tfExpression_1.OperatorExpression("+", left, right));
      }
      /**
       * Renders left - right
       */
      static sub(left, right) {
        return tokens_1.Token.asNumber(new tfExpression_1.OperatorExpression("-", left, right));
      }
      /**
       * Renders left > right
       */
      static gt(left, right) {
        return new tfExpression_1.OperatorExpression(">", left, right);
      }
      /**
       * Renders left >= right
       */
      static gte(left, right) {
        return new tfExpression_1.OperatorExpression(">=", left, right);
      }
      /**
       * Renders left < right
       */
      static lt(left, right) {
        return new tfExpression_1.OperatorExpression("<", left, right);
      }
      /**
       * Renders left <= right
       */
      static lte(left, right) {
        return new tfExpression_1.OperatorExpression("<=", left, right);
      }
      /**
       * Renders left == right
       */
      static eq(left, right) {
        return new tfExpression_1.OperatorExpression("==", left, right);
      }
      /**
       * Renders left != right
       */
      static neq(left, right) {
        return new tfExpression_1.OperatorExpression("!=", left, right);
      }
      /**
       * Renders left && right
       */
      static and(left, right) {
        return new tfExpression_1.OperatorExpression("&&", left, right);
      }
      /**
       * Renders left || right
       */
      static or(left, right) {
        return new tfExpression_1.OperatorExpression("||", left, right);
      }
    };
    exports.Op = Op;
    _a = JSII_RTTI_SYMBOL_1;
    Op[_a] = { fqn: "cdktf.Op", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-addressable.js
var require_terraform_addressable = __commonJS({
  "node_modules/cdktf/lib/terraform-addressable.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
  }
});

// node_modules/cdktf/lib/terraform-iterator.js
var require_terraform_iterator = __commonJS({
  "node_modules/cdktf/lib/terraform-iterator.js"(exports) {
    "use strict";
    var _a;
    var _b;
    var _c;
    var _d;
    var _e;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DynamicListTerraformIterator = exports.ResourceTerraformIterator = exports.MapTerraformIterator = exports.ListTerraformIterator = exports.TerraformIterator = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var errors_1 = require_errors();
    var terraform_dynamic_expression_1 = require_terraform_dynamic_expression();
    var terraform_functions_1 = require_terraform_functions();
    var tfExpression_1 = require_tfExpression();
    var tokens_1 = require_tokens();
    var TerraformIterator = class {
      /**
       * Creates a new iterator from a list
       */
      static fromList(list) {
        return new ListTerraformIterator(list);
      }
      /**
       * Creates a new iterator from a complex list. One example for this would be a list of maps.
       * The list will be converted into a map with the mapKeyAttributeName as the key.
       * @param list the list to iterate over
       * @param mapKeyAttributeName the name of the attribute that should be used as the key in the map
       *
       * Visit https://developer.hashicorp.com/terraform/cdktf/concepts/iterators#using-iterators-on-complex-lists for more information.
       *
       * @example
       * const cert = new AcmCertificate(this, "cert", {
       *    domainName: "example.com",
       *    validationMethod: "DNS",
       *  });
       *
       * const dvoIterator = TerraformIterator.fromComplexList(
       *   cert.domainValidationOptions,
       *   "domain_name"
       * );
       *
       * new Route53Record(this, "record", {
       *   allowOverwrite: true,
       *   name: dvoIterator.getString("name"),
       *   records: [dvoIterator.getString("record")],
       *   ttl: 60,
       *   type: dvoIterator.getString("type"),
       *   zoneId: Token.asString(dataAwsRoute53ZoneExample.zoneId),
       *   forEach: dvoIterator,
       * });
       */
      static fromComplexList(list, mapKeyAttributeName) {
        return new DynamicListTerraformIterator(list, mapKeyAttributeName);
      }
      /**
       * Creates a new iterator from a map
       */
      static fromMap(map) {
        return new MapTerraformIterator(map);
      }
      /**
       * Creates a new iterator from a resource that
       * has been created with the `for_each` argument.
       */
      static fromResources(resource) {
        return new ResourceTerraformIterator(resource);
      }
      /**
       * Creates a new iterator from a data source that
       * has been created with the `for_each` argument.
       */
      static fromDataSources(resource) {
        return new ResourceTerraformIterator(resource);
      }
      /**
       * @param attribute name of the property to retrieve
       * @returns the given attribute of the current item iterated over as a string
       */
      getString(attribute) {
        return tokens_1.Token.asString((0, tfExpression_1.propertyAccess)(this._getValue(), [attribute]));
      }
      /**
       * @param attribute name of the property to retrieve
       * @returns the given attribute of the current item iterated over as a number
       */
      getNumber(attribute) {
        return tokens_1.Token.asNumber((0, tfExpression_1.propertyAccess)(this._getValue(), [attribute]));
      }
      /**
       * @param attribute name of the property to retrieve
       * @returns the given attribute of the current item iterated over as a boolean
       */
      getBoolean(attribute) {
        return tokens_1.Token.asAny((0, tfExpression_1.propertyAccess)(this._getValue(), [attribute]));
      }
      /**
       * @param attribute name of the property to retrieve
       * @returns the given attribute of the current item iterated over as any
       */
      getAny(attribute) {
        return tokens_1.Token.asAny((0, tfExpression_1.propertyAccess)(this._getValue(), [attribute]));
      }
      /**
       * @param attribute name of the property to retrieve
       * @returns the given attribute of the current item iterated over as a (string) list
       */
      getList(attribute) {
        return tokens_1.Token.asList((0, tfExpression_1.propertyAccess)(this._getValue(), [attribute]));
      }
      /**
       * @param attribute name of the property to retrieve
       * @returns the given attribute of the current item iterated over as a number list
       */
      getNumberList(attribute) {
        return tokens_1.Token.asNumberList((0, tfExpression_1.propertyAccess)(this._getValue(), [attribute]));
      }
      /**
       * @param attribute name of the property to retrieve
       * @returns the given attribute of the current item iterated over as a map
       */
      getMap(attribute) {
        return tokens_1.Token.asAnyMap((0, tfExpression_1.propertyAccess)(this._getValue(), [attribute]));
      }
      /**
       * @param attribute name of the property to retrieve
       * @returns the given attribute of the current item iterated over as a map of strings
       */
      getStringMap(attribute) {
        return tokens_1.Token.asStringMap((0, tfExpression_1.propertyAccess)(this._getValue(), [attribute]));
      }
      /**
       * @param attribute name of the property to retrieve
       * @returns the given attribute of the current item iterated over as a map of numbers
       */
      getNumberMap(attribute) {
        return tokens_1.Token.asNumberMap((0, tfExpression_1.propertyAccess)(this._getValue(), [attribute]));
      }
      /**
       * @param attribute name of the property to retrieve
       * @returns the given attribute of the current item iterated over as a map of booleans
       */
      getBooleanMap(attribute) {
        return tokens_1.Token.asBooleanMap((0, tfExpression_1.propertyAccess)(this._getValue(), [attribute]));
      }
      /**
       * @param attribute name of the property to retrieve
       * @returns the given attribute of the current item iterated over as a map of any
       */
      getAnyMap(attribute) {
        return tokens_1.Token.asAnyMap((0, tfExpression_1.propertyAccess)(this._getValue(), [attribute]));
      }
      /**
       * @internal
       */
      _getValue() {
        return tokens_1.Lazy.anyValue({
          produce: (context) => {
            switch (context.iteratorContext) {
              case "DYNAMIC_BLOCK":
                return (0, tfExpression_1.ref)("each.value");
              case "FOR_EXPRESSION":
                return tfExpression_1.FOR_EXPRESSION_VALUE;
              default:
                return (0, tfExpression_1.ref)("each.value");
            }
          }
        }, { displayHint: "<iterator value>" });
      }
      /**
       * @internal
       */
      _getKey() {
        return tokens_1.Lazy.anyValue({
          produce: (context) => {
            switch (context.iteratorContext) {
              case "DYNAMIC_BLOCK":
                return (0, tfExpression_1.ref)("each.key");
              case "FOR_EXPRESSION":
                return tfExpression_1.FOR_EXPRESSION_KEY;
              default:
                return (0, tfExpression_1.ref)("each.key");
            }
          }
        }, { displayHint: "<iterator key>" });
      }
      /**
       * Creates a dynamic expression that can be used to loop over this iterator
       * in a dynamic block.
       * As this returns an IResolvable you might need to wrap the output in
       * a Token, e.g. `Token.asString`.
       * See https://developer.hashicorp.com/terraform/cdktf/concepts/iterators#using-iterators-for-list-attributes
       */
      dynamic(attributes) {
        return tokens_1.Token.asAny(new terraform_dynamic_expression_1.TerraformDynamicExpression({
          iterator: this,
          content: attributes
        }));
      }
      /**
       * Creates a for expression that maps the iterators to its keys.
       * For lists these would be the indices, for maps the keys.
       * As this returns an IResolvable you might need to wrap the output in
       * a Token, e.g. `Token.asString`.
       */
      keys() {
        return tokens_1.Token.asAny((0, tfExpression_1.forExpression)(this._getForEachExpression(), tfExpression_1.FOR_EXPRESSION_KEY));
      }
      /**
       * Creates a for expression that maps the iterators to its value in case it is a map.
       * For lists these would stay the same.
       * As this returns an IResolvable you might need to wrap the output in
       * a Token, e.g. `Token.asString`.
       */
      values() {
        return tokens_1.Token.asAny((0, tfExpression_1.forExpression)(this._getForEachExpression(), tfExpression_1.FOR_EXPRESSION_VALUE));
      }
      /**
       * Creates a for expression that accesses the key on each element of the iterator.
       * As this returns an IResolvable you might need to wrap the output in
       * a Token, e.g. `Token.asString`.
       * @param property The property of the iterators values to map to
       */
      pluckProperty(property) {
        return tokens_1.Token.asAny((0, tfExpression_1.forExpression)(this._getForEachExpression(), (0, tfExpression_1.propertyAccess)(tfExpression_1.FOR_EXPRESSION_VALUE, [property])));
      }
      /**
       * Creates a for expression that results in a list.
       * This method allows you to create every possible for expression, but requires more knowledge about
       * Terraform's for expression syntax.
       * For the most common use cases you can use keys(), values(), and pluckProperty() instead.
       *
       * You may write any valid Terraform for each expression, e.g.
       * `TerraformIterator.fromList(myIteratorSourceVar).forExpressionForList("val.foo if val.bar == true")`
       * will result in `[ for key, val in var.myIteratorSource: val.foo if val.bar == true ]`.
       *
       * As this returns an IResolvable you might need to wrap the output in
       * a Token, e.g. `Token.asString`.
       * @param expression The expression to use in the for mapping
       */
      forExpressionForList(expression) {
        return tokens_1.Token.asAny((0, tfExpression_1.forExpression)(this._getForEachExpression(), expression));
      }
      /**
       * Creates a for expression that results in a map.
       * This method allows you to create every possible for expression, but requires more knowledge about
       * Terraforms for expression syntax.
       * For the most common use cases you can use keys(), values(), and pluckProperty instead.
       *
       * You may write any valid Terraform for each expression, e.g.
       * `TerraformIterator.fromMap(myIteratorSourceVar).forExpressionForMap("key", "val.foo if val.bar == true")`
       * will result in `{ for key, val in var.myIteratorSource: key => val.foo if val.bar == true }`.
       *
       * As this returns an IResolvable you might need to wrap the output in
       * a Token, e.g. `Token.asString`.
       * @param keyExpression The expression to use as key in the for mapping
       * @param valueExpression The expression to use as value in the for mapping
       */
      forExpressionForMap(keyExpression, valueExpression) {
        return tokens_1.Token.asAny((0, tfExpression_1.forExpression)(this._getForEachExpression(), valueExpression, keyExpression));
      }
    };
    exports.TerraformIterator = TerraformIterator;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformIterator[_a] = { fqn: "cdktf.TerraformIterator", version: "0.21.0" };
    var ListTerraformIterator = class extends TerraformIterator {
      constructor(list) {
        super();
        this.list = list;
      }
      /**
       * Returns the currently entry in the list or set that is being iterated over.
       * For lists this is the same as `iterator.value`. If you need the index,
       * use count via `TerraformCount`:
       * https://developer.hashicorp.com/terraform/cdktf/concepts/iterators#using-count
       */
      get key() {
        return this._getKey();
      }
      /**
       * Returns the value of the current item iterated over.
       */
      get value() {
        return this._getValue();
      }
      /**
       * @internal used by TerraformResource to set the for_each expression
       */
      _getForEachExpression() {
        return terraform_functions_1.Fn.toset(this.list);
      }
    };
    exports.ListTerraformIterator = ListTerraformIterator;
    _b = JSII_RTTI_SYMBOL_1;
    ListTerraformIterator[_b] = { fqn: "cdktf.ListTerraformIterator", version: "0.21.0" };
    var MapTerraformIterator = class extends TerraformIterator {
      constructor(map) {
        super();
        this.map = map;
      }
      /**
       * @internal used by TerraformResource to set the for_each expression
       */
      _getForEachExpression() {
        return tokens_1.Token.asString(this.map);
      }
      /**
       * Returns the key of the current entry in the map that is being iterated over.
       */
      get key() {
        return tokens_1.Token.asString(this._getKey());
      }
      /**
       * Returns the value of the current item iterated over.
       */
      get value() {
        return this._getValue();
      }
    };
    exports.MapTerraformIterator = MapTerraformIterator;
    _c = JSII_RTTI_SYMBOL_1;
    MapTerraformIterator[_c] = { fqn: "cdktf.MapTerraformIterator", version: "0.21.0" };
    var ResourceTerraformIterator = class extends TerraformIterator {
      constructor(element) {
        super();
        this.element = element;
        if (element.count) {
          throw (0, errors_1.iteratorOnResourceWithCount)();
        }
        if (!element.forEach) {
          throw (0, errors_1.iteratorOnResourceWithoutForEach)();
        }
      }
      /**
       * Returns the current entry in the list or set that is being iterated over.
       * For lists this is the same as `iterator.value`. If you need the index,
       * use count via `TerraformCount`:
       * https://developer.hashicorp.com/terraform/cdktf/concepts/iterators#using-count
       */
      get key() {
        return this._getKey();
      }
      /**
       * Returns the value of the current item iterated over.
       */
      get value() {
        return this._getValue();
      }
      /**
       * @internal used by TerraformResource to set the for_each expression
       */
      _getForEachExpression() {
        return this.element.fqn;
      }
    };
    exports.ResourceTerraformIterator = ResourceTerraformIterator;
    _d = JSII_RTTI_SYMBOL_1;
    ResourceTerraformIterator[_d] = { fqn: "cdktf.ResourceTerraformIterator", version: "0.21.0" };
    var DynamicListTerraformIterator = class extends MapTerraformIterator {
      constructor(list, mapKeyAttributeName) {
        super(list);
        this.list = list;
        this.mapKeyAttributeName = mapKeyAttributeName;
      }
      /**
       * @internal used by TerraformResource to set the for_each expression
       */
      _getForEachExpression() {
        return tokens_1.Lazy.anyValue({
          produce: (context) => {
            switch (context.iteratorContext) {
              case "FOR_EXPRESSION":
                return this.list;
              case "DYNAMIC_BLOCK":
              // fallthrough
              default:
                return (0, tfExpression_1.forExpression)(
                  this.list,
                  // input
                  tfExpression_1.FOR_EXPRESSION_VALUE,
                  // valueExpression
                  terraform_functions_1.Fn.lookupNested(tfExpression_1.FOR_EXPRESSION_VALUE, [
                    this.mapKeyAttributeName
                  ])
                );
            }
          }
        }, { displayHint: "<iterator value>" });
      }
    };
    exports.DynamicListTerraformIterator = DynamicListTerraformIterator;
    _e = JSII_RTTI_SYMBOL_1;
    DynamicListTerraformIterator[_e] = { fqn: "cdktf.DynamicListTerraformIterator", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-provisioner.js
var require_terraform_provisioner = __commonJS({
  "node_modules/cdktf/lib/terraform-provisioner.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TerraformSelf = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var tfExpression_1 = require_tfExpression();
    var token_1 = require_token();
    var util_1 = require_util();
    var TerraformSelf = class _TerraformSelf {
      static getInterpolation(key) {
        return `self.${key.split(".").map((s) => (0, util_1.snakeCase)(s)).join(".")}`;
      }
      /**
       * Only usable within a connection block to reference the connections parent resource.
       * Access a property on the resource like this: `getString("publicIp")`
       */
      static getString(key) {
        return token_1.Token.asString((0, tfExpression_1.ref)(_TerraformSelf.getInterpolation(key)));
      }
      /**
       * Only usable within a connection block to reference the connections parent resource.
       * Access a property on the resource like this: `getNumber("hostPort")`
       */
      static getNumber(key) {
        return token_1.Token.asNumber((0, tfExpression_1.ref)(_TerraformSelf.getInterpolation(key)));
      }
      /**
       * Only usable within a connection block to reference the connections parent resource.
       * Access a property on the resource like this: `getAny("hostPort")`
       */
      static getAny(key) {
        return token_1.Token.asAny((0, tfExpression_1.ref)(_TerraformSelf.getInterpolation(key)));
      }
    };
    exports.TerraformSelf = TerraformSelf;
    _a = JSII_RTTI_SYMBOL_1;
    TerraformSelf[_a] = { fqn: "cdktf.TerraformSelf", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-conditions.js
var require_terraform_conditions = __commonJS({
  "node_modules/cdktf/lib/terraform-conditions.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
  }
});

// node_modules/cdktf/lib/importable-resource.js
var require_importable_resource = __commonJS({
  "node_modules/cdktf/lib/importable-resource.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ImportableResource = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var terraform_element_1 = require_terraform_element();
    var validate_terraform_version_1 = require_validate_terraform_version();
    var ImportableResource = class extends terraform_element_1.TerraformElement {
      constructor(scope, name, config) {
        super(scope, name, config.terraformResourceType);
        this.config = config;
        this.node.addValidation(new validate_terraform_version_1.ValidateTerraformVersion(">=1.5", `Import blocks are only supported for Terraform >=1.5. Please upgrade your Terraform version.`));
      }
      toHclTerraform() {
        const expectedResourceAddress = `${this.config.terraformResourceType}.${this.friendlyUniqueId}`;
        return {
          import: [
            {
              to: {
                value: expectedResourceAddress,
                type: "simple",
                storageClassType: "reference"
              },
              id: {
                value: this.config.importId,
                type: "simple",
                storageClassType: "string"
              },
              provider: this.config.provider ? {
                value: this.config.provider.fqn,
                type: "simple",
                storageClassType: "reference"
              } : void 0
            }
          ]
        };
      }
      toTerraform() {
        const expectedResourceAddress = `${this.config.terraformResourceType}.${this.friendlyUniqueId}`;
        return {
          import: [
            {
              to: expectedResourceAddress,
              id: this.config.importId,
              provider: this.config.provider ? this.config.provider.fqn : void 0
            }
          ]
        };
      }
      toMetadata() {
        return {
          importsGeneratingConfiguration: [this.friendlyUniqueId]
        };
      }
    };
    exports.ImportableResource = ImportableResource;
    _a = JSII_RTTI_SYMBOL_1;
    ImportableResource[_a] = { fqn: "cdktf.ImportableResource", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/upgrade-id-aspect.js
var require_upgrade_id_aspect = __commonJS({
  "node_modules/cdktf/lib/upgrade-id-aspect.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.MigrateIds = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var _1 = require_lib2();
    var crypto = __require("crypto");
    var errors_1 = require_errors();
    var path = __require("path");
    var HIDDEN_FROM_HUMAN_ID = "Resource";
    var HIDDEN_ID = "Default";
    var PATH_SEP = "/";
    var UNIQUE_SEP = "_";
    var HASH_LEN = 8;
    var MAX_HUMAN_LEN = 240;
    var MAX_ID_LEN = 255;
    function makeUniqueIdOldVersion(components, allowSepChars) {
      components = components.filter((x) => x !== HIDDEN_ID);
      if (components.length === 0) {
        throw (0, errors_1.cannotCalcIdForEmptySetOfComponents)();
      }
      if (components.length === 1) {
        const candidate = removeDisallowedCharacters(components[0], allowSepChars);
        if (candidate.length <= MAX_ID_LEN) {
          return candidate;
        }
      }
      const hash = pathHash(components);
      const human = removeDupes(components).filter((x) => x !== HIDDEN_FROM_HUMAN_ID).map((s) => removeDisallowedCharacters(s, allowSepChars)).join(UNIQUE_SEP).slice(0, MAX_HUMAN_LEN);
      return human + UNIQUE_SEP + hash;
    }
    function pathHash(path2) {
      const md5 = crypto.createHash("md5").update(path2.join(PATH_SEP)).digest("hex");
      return md5.slice(0, HASH_LEN).toUpperCase();
    }
    function removeDisallowedCharacters(s, allowSepChars) {
      if (allowSepChars) {
        return removeNonAlphanumericSep(s);
      } else {
        return removeNonAlphanumeric(s);
      }
    }
    function removeNonAlphanumeric(s) {
      return s.replace(/[^A-Za-z0-9]/g, "");
    }
    function removeNonAlphanumericSep(s) {
      return s.replace(/[^A-Za-z0-9_-]/g, "");
    }
    function removeDupes(path2) {
      const ret = new Array();
      for (const component of path2) {
        if (ret.length === 0 || !ret[ret.length - 1].endsWith(component)) {
          ret.push(component);
        }
      }
      return ret;
    }
    function allocateLogicalIdOldVersion(tfElement) {
      const node = _1.TerraformElement.isTerraformElement(tfElement) ? tfElement.node : tfElement;
      const stackIndex = 0;
      const components = node.scopes.slice(stackIndex + 1).map((c) => c.node.id);
      return components.length > 0 ? makeUniqueIdOldVersion(components, false) : "";
    }
    var MigrateIds = class {
      visit(node) {
        if (node instanceof _1.TerraformResource) {
          const oldId = allocateLogicalIdOldVersion(node);
          node.moveFromId(`${node.terraformResourceType}.${oldId}`);
        }
        if (node instanceof _1.TerraformModule) {
          const oldId = allocateLogicalIdOldVersion(node);
          const appManifest = _1.App.of(node).manifest;
          const stackManifest = appManifest.forStack(_1.TerraformStack.of(node));
          const stackOutdir = path.join(appManifest.outdir, stackManifest.workingDirectory);
          _1.Annotations.of(node).addWarning(`Found module with new id ${node.friendlyUniqueId}. Moving this module requires a manual state migration.
If this module has not been moved yet, run "terraform state mv module.${oldId} module.${node.friendlyUniqueId}" in the output directory "${stackOutdir}" to migrate the existing state to its new id.
Refer to the following page for more information: https://developer.hashicorp.com/terraform/cdktf/examples-and-guides/refactoring#moving-or-renaming-modules`);
        }
      }
    };
    exports.MigrateIds = MigrateIds;
    _a = JSII_RTTI_SYMBOL_1;
    MigrateIds[_a] = { fqn: "cdktf.MigrateIds", version: "0.21.0" };
  }
});

// node_modules/cdktf/lib/terraform-data-resource.js
var require_terraform_data_resource = __commonJS({
  "node_modules/cdktf/lib/terraform-data-resource.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DataResource = void 0;
    var JSII_RTTI_SYMBOL_1 = /* @__PURE__ */ Symbol.for("jsii.rtti");
    var validate_terraform_version_1 = require_validate_terraform_version();
    var terraform_resource_1 = require_terraform_resource();
    var importable_resource_1 = require_importable_resource();
    var complex_computed_list_1 = require_complex_computed_list();
    var runtime_1 = require_runtime();
    var DataResource = class extends terraform_resource_1.TerraformResource {
      // ==============
      // STATIC Methods
      // ==============
      /**
       * Generates CDKTF code for importing a Data resource upon running "cdktf plan <stack-name>"
       * @param scope The scope in which to define this construct
       * @param importToId The construct id used in the generated config for the Data to import
       * @param importFromId The id of the existing Data that should be imported. Refer to the {@link https://terraform.io/providers/builtin/terraform/latest/docs/resources/data#import import section} in the documentation of this resource for the id to use
       * @param provider? Optional instance of the provider where the Data to import is found
       */
      static generateConfigForImport(scope, importToId, importFromId, provider) {
        return new importable_resource_1.ImportableResource(scope, importToId, {
          terraformResourceType: "terraform_data",
          importId: importFromId,
          provider
        });
      }
      // ===========
      // INITIALIZER
      // ===========
      /**
       * Create a new TerraformData Resource.
       *
       * The DataResource resource is useful for storing values which need to follow a manage resource lifecycle, and for triggering provisioners when there is no other logical managed resource in which to place them.
       *
       * @param scope The scope in which to define this construct
       * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
       * @param options DataConfig = {}
       */
      constructor(scope, id, config = {}) {
        super(scope, id, {
          terraformResourceType: "terraform_data",
          terraformGeneratorMetadata: {
            providerName: "terraform"
          },
          provider: config.provider,
          dependsOn: config.dependsOn,
          count: config.count,
          lifecycle: config.lifecycle,
          provisioners: config.provisioners,
          connection: config.connection,
          forEach: config.forEach
        });
        this._output = new complex_computed_list_1.AnyMap(this, "output");
        this._input = config.input;
        this._triggersReplace = config.triggersReplace;
        this.node.addValidation(new validate_terraform_version_1.ValidateTerraformVersion(">=1.4", `The built-in Terraform data resource is only supported for Terraform >=1.4. Please upgrade your Terraform version.`));
      }
      // ==========
      // ATTRIBUTES
      // ==========
      // id - computed: true, optional: false, required: false
      get id() {
        return this.getStringAttribute("id");
      }
      get input() {
        return this.getAnyMapAttribute("input");
      }
      /**
       * (Optional) A value which will be stored in the instance state, and reflected in the output attribute after apply.
       * https://developer.hashicorp.com/terraform/language/resources/terraform-data#input
       */
      set input(value) {
        this._input = value;
      }
      resetInput() {
        this._input = void 0;
      }
      // Temporarily expose input value. Use with caution.
      get inputInput() {
        return this._input;
      }
      get output() {
        return this._output;
      }
      get triggersReplace() {
        return this.getAnyMapAttribute("triggers_replace");
      }
      /**
       * (Optional) A value which is stored in the instance state, and will force replacement when the value changes.
       * https://developer.hashicorp.com/terraform/language/resources/terraform-data#triggers_replace
       */
      set triggersReplace(value) {
        this._triggersReplace = value;
      }
      resetTriggersReplace() {
        this._triggersReplace = void 0;
      }
      // Temporarily expose input value. Use with caution.
      get triggersReplaceInput() {
        return this._triggersReplace;
      }
      // =========
      // SYNTHESIS
      // =========
      synthesizeAttributes() {
        return {
          input: (0, runtime_1.hashMapper)(runtime_1.anyToTerraform)(this._input),
          triggers_replace: (0, runtime_1.hashMapper)(runtime_1.anyToTerraform)(this._triggersReplace)
        };
      }
      synthesizeHclAttributes() {
        return {
          input: (0, runtime_1.hashMapperHcl)(runtime_1.anyToHclTerraform)(this._input),
          triggers_replace: (0, runtime_1.hashMapperHcl)(runtime_1.anyToHclTerraform)(this._triggersReplace)
        };
      }
    };
    exports.DataResource = DataResource;
    _a = JSII_RTTI_SYMBOL_1;
    DataResource[_a] = { fqn: "cdktf.DataResource", version: "0.21.0" };
    DataResource.tfResourceType = "terraform_data";
  }
});

// node_modules/cdktf/lib/index.js
var require_lib2 = __commonJS({
  "node_modules/cdktf/lib/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
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
    }));
    var __exportStar = exports && exports.__exportStar || function(m, exports2) {
      for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports2, p)) __createBinding(exports2, m, p);
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.testingMatchers = void 0;
    var validateEnvironment_1 = require_validateEnvironment();
    (0, validateEnvironment_1.validateEnvironment)();
    __exportStar(require_tokens(), exports);
    __exportStar(require_terraform_stack(), exports);
    __exportStar(require_terraform_element(), exports);
    __exportStar(require_terraform_module(), exports);
    __exportStar(require_terraform_provider(), exports);
    __exportStar(require_terraform_resource(), exports);
    __exportStar(require_terraform_data_source(), exports);
    __exportStar(require_terraform_output(), exports);
    __exportStar(require_complex_computed_list(), exports);
    __exportStar(require_resource(), exports);
    __exportStar(require_testing(), exports);
    exports.testingMatchers = require_matchers();
    __exportStar(require_app(), exports);
    __exportStar(require_terraform_backend(), exports);
    __exportStar(require_backends(), exports);
    __exportStar(require_terraform_remote_state(), exports);
    __exportStar(require_terraform_local(), exports);
    __exportStar(require_terraform_variable(), exports);
    __exportStar(require_terraform_hcl_module(), exports);
    __exportStar(require_runtime(), exports);
    __exportStar(require_terraform_dependable(), exports);
    __exportStar(require_manifest(), exports);
    __exportStar(require_terraform_asset(), exports);
    __exportStar(require_synthesize(), exports);
    __exportStar(require_annotations(), exports);
    __exportStar(require_aspect(), exports);
    __exportStar(require_terraform_functions(), exports);
    __exportStar(require_terraform_operators(), exports);
    __exportStar(require_tfExpression(), exports);
    __exportStar(require_terraform_addressable(), exports);
    __exportStar(require_terraform_iterator(), exports);
    __exportStar(require_terraform_provisioner(), exports);
    __exportStar(require_terraform_conditions(), exports);
    __exportStar(require_terraform_count(), exports);
    __exportStar(require_importable_resource(), exports);
    __exportStar(require_terraform_resource_targets(), exports);
    __exportStar(require_upgrade_id_aspect(), exports);
    __exportStar(require_terraform_data_resource(), exports);
    __exportStar(require_terraform_functions_generated(), exports);
  }
});

// src/engine/stacks/cdktf.ts
var import_constructs = __toESM(require_lib(), 1);
var import_cdktf = __toESM(require_lib2(), 1);

// node_modules/cdktf/package.json with { type: 'json' }
var package_default = {
  name: "cdktf",
  version: "0.21.0",
  description: "Cloud Development Kit for Terraform",
  scripts: {
    build: "jsii --silence-warnings reserved-word",
    docs: "node ./scripts/generate-documentation.js",
    watch: "jsii -w --silence-warnings reserved-word",
    "watch-preserve-output": "tsc -w --preserveWatchOutput",
    package: "jsii-pacmak && bash ./go-copyright-header.sh",
    "package:python": "jsii-pacmak --targets python",
    "package:java": "jsii-pacmak --targets java",
    "package:dotnet": "jsii-pacmak --targets dotnet",
    "package:js": "jsii-pacmak --targets js",
    "package:go": "jsii-pacmak --targets go",
    lint: "eslint .",
    test: "jest --passWithNoTests && yarn lint",
    "test:ci": "jest --ci --passWithNoTests && yarn lint",
    "dist-clean": "rm -rf dist"
  },
  main: "lib/index.js",
  types: "lib/index.d.ts",
  keywords: [
    "cdk",
    "cdktf",
    "terraform"
  ],
  jsii: {
    outdir: "dist",
    versionFormat: "short",
    license: "MPL-2.0",
    author: {
      name: "HashiCorp, Inc.",
      organization: true
    },
    targets: {
      python: {
        distName: "cdktf",
        module: "cdktf"
      },
      java: {
        package: "com.hashicorp.cdktf",
        maven: {
          groupId: "com.hashicorp",
          artifactId: "cdktf"
        }
      },
      dotnet: {
        packageId: "HashiCorp.Cdktf",
        namespace: "HashiCorp.Cdktf"
      },
      go: {
        moduleName: "github.com/hashicorp/terraform-cdk-go",
        packageName: "cdktf"
      }
    }
  },
  author: {
    name: "HashiCorp",
    url: "https://hashicorp.com"
  },
  homepage: "https://github.com/hashicorp/terraform-cdk",
  repository: {
    type: "git",
    url: "https://github.com/hashicorp/terraform-cdk.git",
    directory: "packages/cdktf"
  },
  license: "MPL-2.0",
  devDependencies: {
    "@eslint/eslintrc": "^3.3.1",
    "@eslint/js": "^9.27.0",
    "@types/archiver": "6.0.3",
    "@types/jest": "29.5.14",
    "@types/json-stable-stringify": "1.2.0",
    "@types/minimatch": "5.1.2",
    "@types/node": "18.19.101",
    "@types/semver": "7.7.0",
    "@typescript-eslint/eslint-plugin": "^8.32.1",
    "@typescript-eslint/parser": "^8.32.1",
    constructs: "10.4.2",
    eslint: "^9.27.0",
    "eslint-plugin-jsdoc": "^50.6.17",
    "eslint-plugin-no-instanceof": "1.0.1",
    jest: "^29.7.0",
    jsii: "5.8.9",
    "jsii-docgen": "10.7.4",
    "jsii-pacmak": "1.112.0",
    "ts-jest": "29.3.4",
    typescript: "5.4.5"
  },
  dependencies: {
    archiver: "7.0.1",
    "json-stable-stringify": "1.3.0",
    semver: "7.7.2"
  },
  bundledDependencies: [
    "archiver",
    "json-stable-stringify",
    "semver"
  ],
  stability: "experimental",
  peerDependencies: {
    constructs: "^10.4.2"
  }
};

// src/engine/stacks/cdktf.ts
var import_constructs2 = __toESM(require_lib(), 1);
var import_cdktf2 = __toESM(require_lib2(), 1);
function newRoot() {
  const root = new import_constructs.Construct(void 0, "");
  root.node.setContext("cdktfVersion", package_default.version);
  return root;
}
function withoutStackTraces(fn) {
  const original = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit");
  if (!original || !original.configurable) return fn();
  Object.defineProperty(Error, "stackTraceLimit", { configurable: true, get: () => 0, set: () => {
  } });
  try {
    return fn();
  } finally {
    Object.defineProperty(Error, "stackTraceLimit", original);
  }
}
function newStack(id) {
  return new import_cdktf.TerraformStack(newRoot(), id);
}
function renderStack(stack) {
  stack.runAllValidations();
  return stack.toTerraform();
}

// src/engine/stacks/common.ts
var POSTGRES_PORT = 5432;
var DATABASE_NAME = "beta9";
var DATABASE_USER = "beta9";
var REDIS_PORT = 6379;
var KEYSPACE_EVENTS = "AKE";
var POOL_LABEL = "beta9.io/pool";
var GPU_LABEL = "beta9.io/gpu";
var GPU_TAINT = { key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" };
function postgresMajor(engineVersion) {
  const major = /^(\d+)(?:\.\d+)*$/.exec(engineVersion)?.[1];
  if (!major) {
    throw new Error(
      `Invalid PostgreSQL engine version '${engineVersion}'. Expected a form like '16' or '16.4'.`
    );
  }
  return major;
}

export {
  require_lib2 as require_lib,
  withoutStackTraces,
  newStack,
  renderStack,
  import_constructs2 as import_constructs,
  import_cdktf2 as import_cdktf,
  POSTGRES_PORT,
  DATABASE_NAME,
  DATABASE_USER,
  REDIS_PORT,
  KEYSPACE_EVENTS,
  POOL_LABEL,
  GPU_LABEL,
  GPU_TAINT,
  postgresMajor
};
