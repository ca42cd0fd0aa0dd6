// The mapping layer in one include: config, Wrike -> Cascade mapping, observed Cascade state,
// and the planner. Header-only and pure (no I/O beyond MappingConfig::load reading its file);
// link WrikeCascade::mapping.
#pragma once

#include <wrike_cascade/mapping/config.hpp>
#include <wrike_cascade/mapping/jsonc.hpp>
#include <wrike_cascade/mapping/mapper.hpp>
#include <wrike_cascade/mapping/observe.hpp>
#include <wrike_cascade/mapping/planner.hpp>
#include <wrike_cascade/mapping/state.hpp>
#include <wrike_cascade/mapping/text.hpp>
