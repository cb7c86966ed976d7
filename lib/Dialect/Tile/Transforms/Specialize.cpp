//===- Specialize.cpp - one kernel instance per tuning config -------------===//
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"

namespace ssdc::tile {
#define GEN_PASS_DEF_TILESPECIALIZE
#include "ssdc/Dialect/Tile/Transforms/Passes.h.inc"
} // namespace ssdc::tile

using namespace mlir;
using namespace ssdc::tile;

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
    SmallVector<StringRef> items;
    only.split(items, ',', -1, /*KeepEmpty=*/false);
    for (StringRef item : items) {
      auto [name, valueText] = item.split('=');
      name = name.trim();
      int64_t index = kernel.getParamIndex(name);
      if (index < 0)
        return kernel.emitError() << "config names '" << name << "', which @"
                                  << kernel.getSymName() << " does not declare";
      int64_t value;
      if (valueText.trim().getAsInteger(10, value))
        return kernel.emitError() << "config value for '" << name << "' is '" << valueText
                                  << "', not an integer";
      if (!llvm::is_contained(params[index].getValues(), value))
        return kernel.emitError() << "config sets " << name << "=" << value
                                  << ", which is not one of its candidates ["
                                  << llvm::join(llvm::map_range(params[index].getValues(),
                                                                [](int64_t v) {
                                                                  return std::to_string(v);
                                                                }),
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

/// Bytes of a static tile type.
static int64_t tileBytes(RankedTensorType type) {
  return type.getNumElements() * std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
}

FailureOr<KernelOp> ssdc::tile::specializeKernel(KernelOp kernel, ArrayRef<int64_t> config) {
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
  specialized->setAttr("tile.config", DictionaryAttr::get(ctx, recorded));

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
      shape.push_back(ShapedType::isDynamic(size) ? values.lookup(names[next++].getValue())
                                                  : size);
    return RankedTensorType::get(shape, type.getElementType());
  });
  replacer.recursivelyReplaceElementsIn(specialized, /*replaceAttrs=*/true, /*replaceLocs=*/false,
                                        /*replaceTypes=*/true);
  return specialized;
}

namespace {
struct TileSpecializePass : public ssdc::tile::impl::TileSpecializeBase<TileSpecializePass> {
  using TileSpecializeBase::TileSpecializeBase;

  /// Shared memory a config needs to stage the operands of its largest dot.
  static int64_t dotStagingBytes(KernelOp kernel) {
    int64_t bytes = 0;
    kernel.walk([&](DotOp dot) {
      bytes = std::max(bytes, tileBytes(dot.getA().getType()) + tileBytes(dot.getB().getType()));
    });
    return bytes;
  }

  void runOnOperation() override {
    SmallVector<KernelOp> generic;
    for (auto kernel : getOperation().getOps<KernelOp>())
      if (!kernel->hasAttr("tile.config"))
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
        FailureOr<KernelOp> specialized = specializeKernel(kernel, values);
        if (failed(specialized))
          return signalPassFailure();
        int64_t staging = dotStagingBytes(*specialized);
        if (staging > maxSharedBytes) {
          InFlightDiagnostic diag =
              explicitConfig ? specialized->emitError() : specialized->emitWarning();
          diag << "config " << specializedName(kernel, values) << " needs " << staging
               << " bytes of shared memory to stage its dot operands; the target has "
               << static_cast<int64_t>(maxSharedBytes) << (explicitConfig ? "" : "; config dropped");
          specialized->erase();
          if (explicitConfig)
            return signalPassFailure();
          continue;
        }
        ++kept;
      }
      if (kept == 0) {
        kernel.emitError() << "no config of @" << kernel.getSymName()
                           << " fits the target's shared memory";
        return signalPassFailure();
      }
      kernel.erase();
    }
  }
};
} // namespace
