//===- Specialize.cpp - one kernel instance per tuning config -------------===//
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "ssdc/Runtime/ConfigSpec.h"

#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"

namespace ssdc::tile {
#define GEN_PASS_DEF_TILESPECIALIZE
#include "ssdc/Dialect/Tile/Transforms/Passes.h.inc"
} // namespace ssdc::tile

using namespace mlir;
using namespace ssdc::tile;

/// The instance of `kernel` for `types` (one per element-type parameter).
static FailureOr<KernelOp> instantiate(KernelOp kernel, ArrayRef<Type> types) {
  ArrayAttr typeParams = kernel.getTypeParamsAttr();
  llvm::StringMap<Type> chosen;
  std::string name = kernel.getSymName().str();
  for (auto [attr, type] : llvm::zip(typeParams, types)) {
    chosen[llvm::cast<TypeParamAttr>(attr).getName().getValue()] = type;
    name += "_" + std::string(ssdc::elemTypeName(*getElemType(type)));
  }
  auto module = kernel->getParentOfType<ModuleOp>();
  if (module && module.lookupSymbol(name))
    return kernel.emitOpError() << "instance " << name
                                << " has the name of another symbol in the module";
  OpBuilder builder(kernel);
  auto instance = llvm::cast<KernelOp>(builder.clone(*kernel));
  instance.setSymName(name);
  instance.removeTypeParamsAttr();
  AttrTypeReplacer replacer;
  replacer.addReplacement([&](DTypeType parameter) -> std::optional<Type> {
    return chosen.lookup(parameter.getName().getValue());
  });
  replacer.recursivelyReplaceElementsIn(instance, /*replaceAttrs=*/true, /*replaceLocs=*/false,
                                        /*replaceTypes=*/true);
  if (failed(verify(instance)))
    return failure();
  return instance;
}

LogicalResult ssdc::tile::instantiateElementTypes(ModuleOp module) {
  SmallVector<KernelOp> generic;
  for (KernelOp kernel : module.getOps<KernelOp>())
    if (kernel.getTypeParamsAttr())
      generic.push_back(kernel);
  for (KernelOp kernel : generic) {
    SmallVector<SmallVector<Type>> combinations{{}};
    for (Attribute attr : kernel.getTypeParamsAttr()) {
      SmallVector<SmallVector<Type>> next;
      for (const SmallVector<Type> &prefix : combinations)
        for (Type type : llvm::cast<TypeParamAttr>(attr).getTypes()) {
          next.push_back(prefix);
          next.back().push_back(type);
        }
      combinations = std::move(next);
    }
    for (const SmallVector<Type> &types : combinations)
      if (failed(instantiate(kernel, types)))
        return failure();
    kernel.erase();
  }
  return success();
}

Config ssdc::tile::defaultConfig(KernelOp kernel) {
  Config config;
  for (Attribute attr : kernel.getParams())
    config.push_back(llvm::cast<ParamAttr>(attr).getDefaultValue());
  return config;
}

FailureOr<SmallVector<Config>> ssdc::tile::enumerateConfigs(KernelOp kernel, StringRef only) {
  SmallVector<ParamAttr> params;
  for (Attribute attr : kernel.getParams())
    params.push_back(llvm::cast<ParamAttr>(attr));

  if (!only.empty()) {
    Config config = defaultConfig(kernel);
    std::vector<ConfigAssignment> assignments;
    if (Status status = parseConfigSpec(only.str(), assignments); !status.ok())
      return kernel.emitError() << status.message();
    for (const ConfigAssignment &assignment : assignments) {
      StringRef name = assignment.name;
      int64_t value = assignment.value;
      int64_t index = kernel.getParamIndex(name);
      if (index < 0)
        return kernel.emitError() << "config names '" << name << "', which @" << kernel.getSymName()
                                  << " does not declare";
      if (!llvm::is_contained(params[index].getValues(), value))
        return kernel.emitError() << "config sets " << name << "=" << value
                                  << ", which is not one of its candidates ["
                                  << llvm::join(llvm::map_range(
                                                    params[index].getValues(),
                                                    [](int64_t v) { return std::to_string(v); }),
                                                ", ")
                                  << "]";
      config[index] = value;
    }
    return SmallVector<Config>{config};
  }

  SmallVector<Config> configs{Config()};
  for (ParamAttr param : params) {
    SmallVector<Config> next;
    for (const Config &prefix : configs)
      for (int64_t value : param.getValues()) {
        next.push_back(prefix);
        next.back().push_back(value);
      }
    configs = std::move(next);
  }
  return configs;
}

std::string ssdc::tile::specializedName(KernelOp kernel, ArrayRef<int64_t> config) {
  std::string name = kernel.getSymName().str();
  for (auto [attr, value] : llvm::zip(kernel.getParams(), config))
    name += "__" + llvm::cast<ParamAttr>(attr).getName().str() + "_" + std::to_string(value);
  return name;
}

std::optional<int64_t> ssdc::tile::configValue(KernelOp specialized, StringRef name) {
  auto config = specialized->getAttrOfType<DictionaryAttr>(kConfigAttrName);
  if (auto value = config ? config.getAs<IntegerAttr>(name) : IntegerAttr())
    return value.getInt();
  return std::nullopt;
}

int64_t ssdc::tile::threadsPerProgram(KernelOp specialized) {
  constexpr int64_t kDefaultNumWarps = 4;
  return configValue(specialized, kNumWarps).value_or(kDefaultNumWarps) * 32;
}

int64_t ssdc::tile::stagedTileBytes(RankedTensorType tile) {
  int64_t elementBytes = std::max<int64_t>(1, tile.getElementTypeBitWidth() / 8);
  return llvm::alignTo(tile.getNumElements() * elementBytes, 16);
}

LoadOp ssdc::tile::rereadableLoad(Value tile) {
  auto load = tile.getDefiningOp<LoadOp>();
  if (!load || load.getMask() || load.getType().getRank() != 1 ||
      llvm::cast<BufferType>(load.getBuffer().getType()).getAccess() != Access::read)
    return LoadOp();
  return load;
}

std::string ssdc::tile::checkConfigFits(KernelOp specialized, const TargetLimits &limits) {
  int64_t shared = sharedMemoryBytes(specialized);
  if (shared > limits.sharedBytes)
    return "needs " + std::to_string(shared) +
           " bytes of shared memory to exchange tiles; the "
           "target has " +
           std::to_string(limits.sharedBytes);
  int64_t threads = threadsPerProgram(specialized);
  std::string tooLarge;
  specialized.walk([&](Operation *op) {
    for (Type type : op->getResultTypes()) {
      auto tile = llvm::dyn_cast<RankedTensorType>(type);
      if (!tile || !tooLarge.empty() || !tile.hasStaticShape())
        continue;
      int64_t perThread = llvm::divideCeil(tile.getNumElements(), threads);
      if (perThread > limits.elementsPerThread)
        tooLarge = "gives each of its " + std::to_string(threads) + " threads " +
                   std::to_string(perThread) + " elements of a " +
                   std::to_string(tile.getNumElements()) + "-element tile; at most " +
                   std::to_string(limits.elementsPerThread) +
                   " fit in registers (use smaller tiles or more warps)";
    }
  });
  return tooLarge;
}

bool ssdc::tile::warpgroupMmaChip(KernelOp specialized) {
  auto chip = specialized->getAttrOfType<StringAttr>(kChipAttrName);
  return chip && chip.getValue() == "sm_90a";
}

FailureOr<KernelOp> ssdc::tile::specializeKernel(KernelOp kernel, ArrayRef<int64_t> config,
                                                 StringRef chip) {
  // Its buffers' element types are not known until it is instantiated.
  if (kernel.getTypeParamsAttr())
    return kernel.emitError() << "@" << kernel.getSymName()
                              << " has element-type parameters: specialize its instances "
                                 "(instantiateElementTypes, which tile-specialize runs first)";
  MLIRContext *ctx = kernel.getContext();
  llvm::StringMap<int64_t> values;
  SmallVector<NamedAttribute> recorded;
  for (auto [attr, value] : llvm::zip(kernel.getParams(), config)) {
    auto param = llvm::cast<ParamAttr>(attr);
    values[param.getName().getValue()] = value;
    recorded.emplace_back(param.getName(), IntegerAttr::get(IntegerType::get(ctx, 64), value));
  }

  OpBuilder builder(kernel);
  auto specialized = llvm::cast<KernelOp>(builder.clone(*kernel));
  specialized.setSymName(specializedName(kernel, config));
  specialized->setAttr(kConfigAttrName, DictionaryAttr::get(ctx, recorded));
  if (!chip.empty())
    specialized->setAttr(kChipAttrName, StringAttr::get(ctx, chip));

  specialized.walk([&](ParamOp op) {
    OpBuilder b(op);
    Value constant = arith::ConstantIndexOp::create(b, op.getLoc(), values.lookup(op.getName()));
    op.replaceAllUsesWith(constant);
    op.erase();
  });

  AttrTypeReplacer replacer;
  replacer.addReplacement([&](RankedTensorType type) -> std::optional<Type> {
    auto dims = llvm::dyn_cast_or_null<DimsAttr>(type.getEncoding());
    if (!dims)
      return std::nullopt;
    SmallVector<int64_t> shape;
    ArrayRef<StringAttr> names = dims.getNames();
    size_t next = 0;
    for (int64_t size : type.getShape())
      shape.push_back(ShapedType::isDynamic(size) ? values.lookup(names[next++].getValue()) : size);
    return RankedTensorType::get(shape, type.getElementType());
  });
  replacer.recursivelyReplaceElementsIn(specialized, /*replaceAttrs=*/true, /*replaceLocs=*/false,
                                        /*replaceTypes=*/true);
  return specialized;
}

namespace {
struct TileSpecializePass : public ssdc::tile::impl::TileSpecializeBase<TileSpecializePass> {
  using TileSpecializeBase::TileSpecializeBase;

  void runOnOperation() override {
    if (failed(instantiateElementTypes(getOperation())))
      return signalPassFailure();
    SmallVector<KernelOp> generic;
    for (auto kernel : getOperation().getOps<KernelOp>())
      if (!kernel->hasAttr(kConfigAttrName))
        generic.push_back(kernel);
    for (KernelOp kernel : generic) {
      FailureOr<SmallVector<Config>> configs =
          defaultOnly ? FailureOr<SmallVector<Config>>(SmallVector<Config>{defaultConfig(kernel)})
                      : enumerateConfigs(kernel, config);
      if (failed(configs))
        return signalPassFailure();
      bool explicitConfig = defaultOnly || !config.empty();
      size_t kept = 0;
      for (const Config &values : *configs) {
        FailureOr<KernelOp> specialized = specializeKernel(kernel, values, chip);
        if (failed(specialized))
          return signalPassFailure();
        TargetLimits limits{maxSharedBytes, maxElementsPerThread};
        if (std::string reason = checkConfigFits(*specialized, limits); !reason.empty()) {
          InFlightDiagnostic diag =
              explicitConfig ? specialized->emitError() : specialized->emitWarning();
          diag << "config " << specializedName(kernel, values) << " " << reason
               << (explicitConfig ? "" : "; config dropped");
          specialized->erase();
          if (explicitConfig)
            return signalPassFailure();
          continue;
        }
        ++kept;
      }
      if (kept == 0) {
        kernel.emitError() << "no config of @" << kernel.getSymName() << " fits the target";
        return signalPassFailure();
      }
      kernel.erase();
    }
  }
};
} // namespace
