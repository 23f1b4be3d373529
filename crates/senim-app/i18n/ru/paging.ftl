# Long Lists are shown a page at a time (issue 7).
list-pages = Страницы перечня
list-page-prev = Предыдущая страница
list-page-next = Следующая страница
list-page-of = Страница { $page } из { $pages }
list-page-showing = Показаны записи { $from }–{ $to }
err-search-limit = Введите целое число от 1 до 500
err-search-offset = Введите целое число, не меньше 0
