# Long Lists are shown a page at a time (issue 7).
list-pages = Pages of the List
list-page-prev = Previous page
list-page-next = Next page
list-page-of = Page { $page } of { $pages }
list-page-showing = Showing entries { $from }–{ $to }
