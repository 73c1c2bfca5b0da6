import { useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchDesignedObject, fetchDesignedObjects, type DesignedObject } from '../api/index.ts';

/** Query keys of the designer; the workspace's definitions are refreshed with them. */
export const designerKeys = {
  objects: ['designer', 'objects'] as const,
  object: (name: string) => ['designer', 'object', name] as const,
};

/** Every object definition, as the designer sees them. */
export function useDesignedObjects() {
  return useQuery({ queryKey: designerKeys.objects, queryFn: ({ signal }) => fetchDesignedObjects(signal) });
}

/** One object definition with its ETag; disabled for a new object. */
export function useDesignedObject(name: string | undefined) {
  return useQuery({
    queryKey: designerKeys.object(name ?? ''),
    queryFn: ({ signal }) => fetchDesignedObject(name!, signal),
    enabled: name !== undefined,
    // The ETag must stay the one the admin edits: no refetch behind their back.
    refetchOnWindowFocus: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * After a change: the saved definition becomes the edited one (with its new ETag), and the lists
 * (the designer's and the workspace navigation) reload.
 */
export function useDefinitionSaved() {
  const queryClient = useQueryClient();
  return (saved: DesignedObject) => {
    queryClient.setQueryData(designerKeys.object(saved.object.name), saved);
    void queryClient.invalidateQueries({ queryKey: designerKeys.objects });
    void queryClient.invalidateQueries({ queryKey: ['workspace-meta'] });
  };
}
