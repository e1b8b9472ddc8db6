// A radix tree from unsigned long indexes to pointers (the part of Linux's
// XArray the page cache uses): nodes of 64 slots, as many levels as the
// largest index needs, so a file's pages are found in a few steps whatever
// its size and holes cost nothing. The caller serializes changes; the tree
// itself does no locking.
#pragma once
#include <stddef.h>

constexpr unsigned XA_CHUNK_SHIFT = 6;
constexpr unsigned XA_CHUNK_SIZE = 1u << XA_CHUNK_SHIFT;

struct xa_node;
struct xarray {
    void* root = nullptr;  // an xa_node when height > 0
    unsigned height = 0;   // levels of nodes: 64^height indexes fit
};

void* xa_load(const xarray* xa, unsigned long index);
// Stores entry (not nullptr) at index; false when a node cannot be allocated.
bool xa_store(xarray* xa, unsigned long index, void* entry);
// Removes and returns the entry at index (nullptr if none); empty nodes are freed.
void* xa_erase(xarray* xa, unsigned long index);
// The first entry at an index >= *index, updating *index; nullptr if none.
void* xa_find(const xarray* xa, unsigned long* index);
// Frees every node (the entries are the caller's).
void xa_destroy(xarray* xa);
