"""Which model, where it lives and how it loads: specs, the loader, devices, sizing, the cache, downloads."""
