import Link from 'next/link';

export interface ServicePagerProps {
  /** 1-based. */
  page: number;
  pages: number;
  /** The overview's filters as they are, kept on every page's link. */
  params: Record<string, string>;
}

/** The overview's page links: the filters stay, only the page changes. Nothing when everything fits on one page. */
export function ServicePager({ page, pages, params }: ServicePagerProps) {
  if (pages <= 1) return null;
  const href = (n: number) => {
    const query = new URLSearchParams({ ...params, ...(n > 1 ? { page: String(n) } : {}) }).toString();
    return query ? `/?${query}` : '/';
  };
  return (
    <nav className="pager" aria-label="Pages of services">
      {page > 1 ? (
        <Link href={href(page - 1)} className="btn btn-secondary" rel="prev">
          Previous
        </Link>
      ) : null}
      <span aria-current="page">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Link href={href(page + 1)} className="btn btn-secondary" rel="next">
          Next
        </Link>
      ) : null}
    </nav>
  );
}
