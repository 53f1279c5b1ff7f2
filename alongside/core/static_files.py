"""Static files as production serves them: hashed names, compressed once, cached for good.

`collectstatic` (the Makefile's `static` target, which `make run` runs) copies every file under
a name that carries a hash of its content (bootstrap.min.4f2a….css) and writes a gzip and a
Brotli copy beside it; WhiteNoise serves those names with `Cache-Control: max-age=315360000,
public, immutable`, since a changed file gets a new name. Pages reach them through
`{% static %}`, which reads the manifest collectstatic writes, so only the hashed names are kept.

Compressing is most of collectstatic's time (Brotli at its best level), and a hashed name's
content never changes: a file already compressed by an earlier run is not compressed again,
and source maps, which only a browser's developer tools fetch, are not compressed at all.
"""

from collections.abc import Collection, Iterator
from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

# WhiteNoise's own list (images, fonts, archives, video) and the source maps.
NOT_COMPRESSED = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")


class HashedCompressedStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """WhiteNoise's manifest storage, compressing only what no earlier run compressed."""

    def create_compressor(self, **kwargs: Any) -> Compressor:
        return Compressor(**{**kwargs, "extensions": NOT_COMPRESSED})

    def compress_files(self, paths: Collection[str]) -> Iterator[tuple[str, str]]:
        not_yet = [path for path in paths if not self.exists(f"{path}.gz")]
        yield from super().compress_files(not_yet)
